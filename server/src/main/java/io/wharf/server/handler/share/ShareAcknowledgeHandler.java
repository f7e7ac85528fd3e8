package io.wharf.server.handler.share;

import io.wharf.coordinator.share.Acknowledgement;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.handler.Topics;
import io.wharf.server.share.ShareRounds;
import io.wharf.server.share.ShareSessions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ShareAcknowledge (KIP-932): ACCEPT, RELEASE, REJECT (and, from v2 with {@code IsRenewAck}, RENEW) records the
 * member acquired, each partition all or nothing, answered once durable. It continues an open share session (epoch 0
 * is INVALID_SHARE_SESSION_EPOCH); at epoch -1 it closes the session and gives back what the member still holds.
 */
public final class ShareAcknowledgeHandler implements ApiHandler {

    private final BrokerServices services;
    private final ShareRounds rounds;

    public ShareAcknowledgeHandler(BrokerServices services) {
        this.services = services;
        this.rounds = new ShareRounds(services.replicas(), services.nodeId());
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_ACKNOWLEDGE;
    }

    private static ShareAcknowledgeResponseData error(Errors error, String message) {
        return new ShareAcknowledgeResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ShareAcknowledgeRequestData body = request.body();
        String problem = ShareRequests.problem(body.groupId(), body.memberId());
        if (problem != null) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST, problem));
        }
        List<ShareRequests.WirePartition> partitions = new ArrayList<>();
        for (ShareAcknowledgeRequestData.AcknowledgeTopic topic : body.topics()) {
            for (ShareAcknowledgeRequestData.AcknowledgePartition partition : topic.partitions()) {
                List<Acknowledgement> acks = new ArrayList<>();
                partition
                        .acknowledgementBatches()
                        .forEach(b -> acks.add(
                                ShareRequests.acknowledgement(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())));
                partitions.add(new ShareRequests.WirePartition(topic.topicId(), partition.partitionIndex(), acks));
            }
        }
        Map<ShareSessions.SessionPartition, List<Acknowledgement>> acks = ShareRequests.acknowledgements(partitions);
        boolean renew = request.version() >= 2 && body.isRenewAck();
        return acknowledge(body, acks, renew);
    }

    private CompletableFuture<ApiMessage> acknowledge(
            ShareAcknowledgeRequestData body,
            Map<ShareSessions.SessionPartition, List<Acknowledgement>> acks,
            boolean renew) {
        ShareSessions.Key key = new ShareSessions.Key(body.groupId(), body.memberId());
        int epoch = body.shareSessionEpoch();
        ShareSessions.Outcome session = ShareRequests.continueSession(services, key, epoch, List.of(), List.of());
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(error(session.error(), session.message()));
        }
        ShareRounds.Limits limits = new ShareRounds.Limits(0, 0, false, renew);
        return rounds.run(services.sharePartitions(), key.groupId(), key.memberId(), acks, List.of(), limits, 0)
                .thenCompose(outcomes -> epoch == -1
                        ? ShareRequests.closeSession(services, key).handle((ok, failure) -> outcomes)
                        : CompletableFuture.completedFuture(outcomes))
                .thenApply(outcomes -> response(key.groupId(), outcomes));
    }

    private ApiMessage response(String groupId, List<ShareRounds.PartitionOutcome> outcomes) {
        ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData()
                .setAcquisitionLockTimeoutMs(ShareRequests.lockDurationMs(services, groupId));
        Map<Uuid, ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse> topics = new LinkedHashMap<>();
        for (ShareRounds.PartitionOutcome outcome : outcomes) {
            Uuid topicId = Topics.toKafka(outcome.partition().topicId());
            topics.computeIfAbsent(topicId, id -> {
                        ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse topic =
                                new ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse().setTopicId(id);
                        response.responses().add(topic);
                        return topic;
                    })
                    .partitions()
                    .add(new ShareAcknowledgeResponseData.PartitionData()
                            .setPartitionIndex(outcome.partition().partition())
                            .setErrorCode(outcome.ackError().code())
                            .setErrorMessage(outcome.ackMessage())
                            .setCurrentLeader(new ShareAcknowledgeResponseData.LeaderIdAndEpoch()
                                    .setLeaderId(outcome.leaderId())
                                    .setLeaderEpoch(outcome.leaderEpoch())));
        }
        return response;
    }
}
