package io.wharf.server.handler.group;

import io.wharf.common.TopicId;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.GroupConfigs;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.handler.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ShareGroupHeartbeat (KIP-932): join, heartbeat and leave a share group. Before a member learns of partitions, their
 * share-partitions are created at the offset {@code share.auto.offset.reset} gives, so records produced after the
 * member got its assignment are delivered even under {@code latest}. The answer waits for that at most a third of the
 * member's session (the share coordinators or the partitions' leaders may be moving); a share-partition not created
 * by then is created by its leader on the first fetch.
 */
public final class ShareGroupHeartbeatHandler implements ApiHandler {

    private final BrokerServices services;

    public ShareGroupHeartbeatHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ShareGroupHeartbeatRequestData body = request.body();
        return GroupRequests.withCoordinator(
                        services,
                        coordinator -> coordinator
                                .shareGroupHeartbeat(body, request.clientId(), GroupRequests.clientHost(context))
                                .thenCompose(response -> initialize(body.groupId(), response)),
                        () -> new ShareGroupHeartbeatResponseData()
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(response -> (ApiMessage) response);
    }

    private CompletableFuture<ShareGroupHeartbeatResponseData> initialize(
            String groupId, ShareGroupHeartbeatResponseData response) {
        if (response.errorCode() != Errors.NONE.code()
                || response.assignment() == null
                || response.assignment().topicPartitions().isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        Map<TopicId, List<Integer>> assigned = new LinkedHashMap<>();
        response.assignment()
                .topicPartitions()
                .forEach(t -> assigned.put(Topics.fromKafka(t.topicId()), t.partitions()));
        long waitMs = GroupConfigs.shareConfig(
                        services.config(), services.replicas().image(), groupId)
                .heartbeatIntervalMs();
        return services.shareGroupStates()
                .initialize(groupId, assigned)
                .completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> response);
    }
}
