package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** DeleteGroups: groups without members, with their committed offsets; NON_EMPTY_GROUP otherwise. */
public final class DeleteGroupsHandler implements ApiHandler {

    private final BrokerServices services;

    public DeleteGroupsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DeleteGroupsRequestData body = request.body();
        short version = request.version();
        return GroupRequests.withCoordinator(
                        services,
                        coordinator -> {
                            List<CompletableFuture<DeleteGroupsResponseData.DeletableGroupResult>> results =
                                    body.groupsNames().stream()
                                            .map(coordinator::deleteGroup)
                                            .toList();
                            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                                    .thenApply(v -> {
                                        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
                                        results.forEach(r -> response.results().add(r.join()));
                                        return response;
                                    });
                        },
                        () -> {
                            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
                            body.groupsNames()
                                    .forEach(id -> response.results()
                                            .add(new DeleteGroupsResponseData.DeletableGroupResult()
                                                    .setGroupId(id)
                                                    .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
                            return response;
                        })
                .thenApply(response -> {
                    if (version < 3) {
                        response.results().forEach(r -> r.setErrorMessage(null));
                    }
                    return (ApiMessage) response;
                });
    }
}
