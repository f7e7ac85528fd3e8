package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.share.ShareGroupStates;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteGroups: groups without members, with their committed offsets or share-partition state; NON_EMPTY_GROUP
 * otherwise.
 */
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
        return GroupRequests.forEachGroup(
                        services,
                        body.groupsNames(),
                        (coordinator, id) -> coordinator
                                .shareGroupSize(id)
                                .exceptionally(failure -> -1)
                                .thenCompose(size -> coordinator
                                        .deleteGroup(id)
                                        .thenCompose(
                                                result -> size >= 0 ? deleteShareState(result) : completed(result))),
                        id -> new DeleteGroupsResponseData.DeletableGroupResult()
                                .setGroupId(id)
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(results -> {
                    DeleteGroupsResponseData response = new DeleteGroupsResponseData();
                    results.forEach(response.results()::add);
                    return response;
                })
                .thenApply(response -> {
                    if (version < 3) {
                        response.results().forEach(r -> r.setErrorMessage(null));
                    }
                    return (ApiMessage) response;
                });
    }

    private static CompletableFuture<DeleteGroupsResponseData.DeletableGroupResult> completed(
            DeleteGroupsResponseData.DeletableGroupResult result) {
        return CompletableFuture.completedFuture(result);
    }

    /**
     * A deleted share group's share-partitions go too, wherever their share coordinators are, so a group of the same
     * name starts afresh. Only a share group has any (a group id belongs to one kind of group).
     */
    private CompletableFuture<DeleteGroupsResponseData.DeletableGroupResult> deleteShareState(
            DeleteGroupsResponseData.DeletableGroupResult result) {
        if (result.errorCode() != Errors.NONE.code()) {
            return CompletableFuture.completedFuture(result);
        }
        ShareGroupStates states = services.shareGroupStates();
        return states.delete(result.groupId(), states.candidates(result.groupId(), topic -> true))
                .handle((deleted, failure) -> result);
    }
}
