package io.wharf.server.handler.share;

import io.wharf.coordinator.share.Acknowledgement;
import io.wharf.coordinator.share.SharePartitionManager;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.handler.Topics;
import io.wharf.server.share.ShareMembership;
import io.wharf.server.share.ShareRounds;
import io.wharf.server.share.ShareSessions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ShareFetch (KIP-932): acknowledgements riding on the fetch are applied first, then records are acquired for the
 * member from the partitions of its share session that it is assigned, each with its delivery count, and sent as
 * whole batches that the client filters by the acquired ranges.
 *
 * <ul>
 *   <li>Epoch 0 opens the member's share session (a member of the group only, and without acknowledgements); a later
 *       request must carry the session's next epoch; -1 applies the acknowledgements and closes the session, giving
 *       back what the member still holds.
 *   <li>{@code MaxRecords} is split over the session's partitions; in record-limit mode (v2) it is exact, in
 *       batch-optimized mode a batch already being sent may be completed.
 *   <li>With {@code IsRenewAck} (v2) the request only acknowledges (RENEW extends locks) and acquires nothing.
 *   <li>When nothing can be acquired, the fetch waits up to {@code MaxWaitMs}, woken when a watched partition's high
 *       watermark moves or records of its share-partition become available again.
 * </ul>
 */
public final class ShareFetchHandler implements ApiHandler {

    private static final byte RECORD_LIMIT_MODE = 1;

    private final BrokerServices services;
    private final Executor requestThreads;
    private final ShareRounds rounds;

    public ShareFetchHandler(BrokerServices services, Executor requestThreads) {
        this.services = services;
        this.requestThreads = requestThreads;
        this.rounds = new ShareRounds(services.replicas(), services.nodeId());
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_FETCH;
    }

    private static ShareFetchResponseData error(Errors error, String message) {
        return new ShareFetchResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ShareFetchRequestData body = request.body();
        short version = request.version();
        String problem = ShareRequests.problem(body.groupId(), body.memberId());
        if (problem == null && version >= 2 && body.shareAcquireMode() != 0 && body.shareAcquireMode() != 1) {
            problem = "Unknown ShareAcquireMode " + body.shareAcquireMode();
        }
        if (problem == null && body.shareSessionEpoch() < -1) {
            return CompletableFuture.completedFuture(
                    error(Errors.INVALID_SHARE_SESSION_EPOCH, "Share session epoch " + body.shareSessionEpoch()));
        }
        Map<ShareSessions.SessionPartition, List<Acknowledgement>> acks =
                ShareRequests.acknowledgements(wirePartitions(body));
        if (problem == null && body.shareSessionEpoch() == 0 && !acks.isEmpty()) {
            problem = "The request that opens a share session cannot acknowledge records";
        }
        if (problem != null) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST, problem));
        }
        return fetch(context, body, version, acks);
    }

    private static List<ShareRequests.WirePartition> wirePartitions(ShareFetchRequestData body) {
        List<ShareRequests.WirePartition> partitions = new ArrayList<>();
        for (ShareFetchRequestData.FetchTopic topic : body.topics()) {
            for (ShareFetchRequestData.FetchPartition partition : topic.partitions()) {
                List<Acknowledgement> acks = new ArrayList<>();
                partition
                        .acknowledgementBatches()
                        .forEach(b -> acks.add(
                                ShareRequests.acknowledgement(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())));
                partitions.add(new ShareRequests.WirePartition(topic.topicId(), partition.partitionIndex(), acks));
            }
        }
        return partitions;
    }

    private CompletableFuture<ApiMessage> fetch(
            RequestContext context,
            ShareFetchRequestData body,
            short version,
            Map<ShareSessions.SessionPartition, List<Acknowledgement>> acks) {
        ShareSessions.Key key = new ShareSessions.Key(body.groupId(), body.memberId());
        List<ShareSessions.SessionPartition> listed = new ArrayList<>();
        wirePartitions(body).forEach(p -> listed.add(ShareRequests.sessionPartition(p.topicId(), p.partition())));
        int epoch = body.shareSessionEpoch();
        if (epoch != 0) {
            List<ShareSessions.SessionPartition> forgotten = new ArrayList<>();
            body.forgottenTopicsData()
                    .forEach(t ->
                            t.partitions().forEach(p -> forgotten.add(ShareRequests.sessionPartition(t.topicId(), p))));
            List<ShareSessions.SessionPartition> added = existing(listed);
            ShareSessions.Outcome session = ShareRequests.continueSession(services, key, epoch, added, forgotten);
            // A session whose partitions change follows an assignment that changed: ask the group coordinator again.
            boolean changed = session.session() != null && session.session().changed();
            return fetch(body, version, acks, key, session, changed);
        }
        return services.shareMembership()
                .member(key.groupId(), key.memberId(), true)
                .thenCompose(member -> {
                    if (member.status() == ShareMembership.Status.NOT_MEMBER) {
                        return CompletableFuture.completedFuture(error(
                                Errors.UNKNOWN_MEMBER_ID,
                                "Member " + key.memberId() + " is not in share group " + key.groupId()));
                    }
                    // What an administrator changed while the group was away (a reset, a delete) is read again.
                    services.sharePartitions().evictIdle(key.groupId());
                    ShareSessions.Outcome session = services.shareSessions()
                            .open(key, context.connection().id(), existing(listed));
                    return fetch(body, version, acks, key, session, false);
                });
    }

    private CompletableFuture<ApiMessage> fetch(
            ShareFetchRequestData body,
            short version,
            Map<ShareSessions.SessionPartition, List<Acknowledgement>> acks,
            ShareSessions.Key key,
            ShareSessions.Outcome session,
            boolean assignmentMayHaveChanged) {
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(error(session.error(), session.message()));
        }
        int epoch = body.shareSessionEpoch();
        boolean renew = version >= 2 && body.isRenewAck();
        ShareRounds.Limits limits = new ShareRounds.Limits(
                body.maxRecords(),
                body.maxBytes(),
                version >= 2 && body.shareAcquireMode() == RECORD_LIMIT_MODE,
                renew);
        CompletableFuture<List<ShareSessions.SessionPartition>> assigned = epoch == -1 || renew
                ? CompletableFuture.completedFuture(List.of())
                : services.shareMembership()
                        .member(key.groupId(), key.memberId(), assignmentMayHaveChanged)
                        .thenApply(member -> assigned(member, session.session().partitions()));
        SharePartitionManager shares = services.sharePartitions();
        int rotation = session.session().rotation();
        return assigned.thenCompose(fetchable -> rounds.run(
                                shares, key.groupId(), key.memberId(), acks, fetchable, limits, rotation)
                        .thenCompose(first -> {
                            if (epoch == -1) {
                                return ShareRequests.closeSession(services, key).handle((ok, failure) -> first);
                            }
                            boolean acquired =
                                    first.stream().anyMatch(o -> !o.acquired().isEmpty());
                            if (acquired || fetchable.isEmpty() || body.maxWaitMs() <= 0) {
                                return CompletableFuture.completedFuture(first);
                            }
                            return new DelayedShareFetch(
                                            services,
                                            requestThreads,
                                            shares,
                                            rounds,
                                            key,
                                            fetchable,
                                            limits,
                                            rotation,
                                            first)
                                    .start(body.maxWaitMs());
                        }))
                .thenApply(outcomes -> response(key.groupId(), acks.keySet(), outcomes));
    }

    /** The partitions that exist in the metadata: a session keeps no others. */
    private List<ShareSessions.SessionPartition> existing(List<ShareSessions.SessionPartition> partitions) {
        return partitions.stream()
                .filter(p -> services.replicas()
                        .image()
                        .topic(p.topicId())
                        .map(t -> t.partitions().containsKey(p.partition()))
                        .orElse(false))
                .distinct()
                .toList();
    }

    /**
     * The session's partitions the member is assigned now: records are acquired only for those. When the group
     * coordinator cannot say, every partition of the session (as Kafka does); a member it no longer knows, none.
     */
    private static List<ShareSessions.SessionPartition> assigned(
            ShareMembership.Member member, List<ShareSessions.SessionPartition> partitions) {
        if (member.status() == ShareMembership.Status.UNKNOWN) {
            return partitions;
        }
        Set<ShareSessions.SessionPartition> assignment = new HashSet<>();
        member.assignment()
                .forEach((topic, indexes) ->
                        indexes.forEach(i -> assignment.add(new ShareSessions.SessionPartition(topic, i))));
        return partitions.stream().filter(assignment::contains).toList();
    }

    private ApiMessage response(
            String groupId,
            Set<ShareSessions.SessionPartition> acknowledged,
            List<ShareRounds.PartitionOutcome> outcomes) {
        ShareFetchResponseData response = new ShareFetchResponseData()
                .setAcquisitionLockTimeoutMs(ShareRequests.lockDurationMs(services, groupId));
        Map<Uuid, ShareFetchResponseData.ShareFetchableTopicResponse> topics = new LinkedHashMap<>();
        for (ShareRounds.PartitionOutcome outcome : outcomes) {
            if (!ShareRequests.worthReporting(outcome, acknowledged.contains(outcome.partition()))) {
                continue;
            }
            Uuid topicId = Topics.toKafka(outcome.partition().topicId());
            ShareFetchResponseData.PartitionData partition = new ShareFetchResponseData.PartitionData()
                    .setPartitionIndex(outcome.partition().partition())
                    .setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message())
                    .setAcknowledgeErrorCode(outcome.ackError().code())
                    .setAcknowledgeErrorMessage(outcome.ackMessage())
                    .setCurrentLeader(new ShareFetchResponseData.LeaderIdAndEpoch()
                            .setLeaderId(outcome.leaderId())
                            .setLeaderEpoch(outcome.leaderEpoch()))
                    .setRecords(outcome.records());
            outcome.acquired()
                    .forEach(a -> partition
                            .acquiredRecords()
                            .add(new ShareFetchResponseData.AcquiredRecords()
                                    .setFirstOffset(a.firstOffset())
                                    .setLastOffset(a.lastOffset())
                                    .setDeliveryCount((short) a.deliveries())));
            topics.computeIfAbsent(topicId, id -> {
                        ShareFetchResponseData.ShareFetchableTopicResponse topic =
                                new ShareFetchResponseData.ShareFetchableTopicResponse().setTopicId(id);
                        response.responses().add(topic);
                        return topic;
                    })
                    .partitions()
                    .add(partition);
        }
        return response;
    }
}
