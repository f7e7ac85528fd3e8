package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** ListGroups: every group, optionally filtered by state (v4+) and type (v5+), case-insensitively. */
public final class ListGroupsHandler implements ApiHandler {

    private final BrokerServices services;

    public ListGroupsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ListGroupsRequestData body = request.body();
        Set<String> states = lowerCase(request.version() >= 4 ? body.statesFilter() : null);
        Set<String> types = lowerCase(request.version() >= 5 ? body.typesFilter() : null);
        if (!services.replicas()
                .image()
                .topic(io.wharf.coordinator.group.GroupCoordinator.TOPIC)
                .isPresent()) {
            return CompletableFuture.completedFuture(new ListGroupsResponseData());
        }
        return GroupRequests.withCoordinator(
                        services,
                        coordinator -> coordinator.listGroups().thenApply(groups -> {
                            ListGroupsResponseData response = new ListGroupsResponseData();
                            groups.stream()
                                    .filter(g -> states.isEmpty()
                                            || states.contains(g.groupState().toLowerCase(Locale.ROOT)))
                                    .filter(g -> types.isEmpty()
                                            || types.contains(g.groupType().toLowerCase(Locale.ROOT)))
                                    .forEach(response.groups()::add);
                            return response;
                        }),
                        () -> new ListGroupsResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(response -> (ApiMessage) response);
    }

    private static Set<String> lowerCase(java.util.List<String> values) {
        return values == null
                ? Set.of()
                : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
