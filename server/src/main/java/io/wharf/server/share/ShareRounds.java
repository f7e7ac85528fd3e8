package io.wharf.server.share;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.share.Acknowledgement;
import io.wharf.coordinator.share.AcquiredRecords;
import io.wharf.coordinator.share.BatchSpan;
import io.wharf.coordinator.share.FetchCommand;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.SharePartitionManager;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.FramePart;
import io.wharf.protocol.wire.WireRecords;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.storage.LogException;
import io.wharf.storage.LogSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of a share fetch or acknowledgement: each partition's acknowledgements are applied and records acquired
 * for the member, all partitions at once (each share-partition answers once its change is durable at its share
 * coordinator), and the batches
 * holding the acquired records are attached as file regions, so record bytes go to the socket without copying.
 *
 * <p>The request's record limit is split over the partitions it fetches from, starting at a partition that moves
 * every round, so that no partition is always served last. Thread-safe.
 */
public final class ShareRounds {

    private static final Logger log = LoggerFactory.getLogger(ShareRounds.class);

    /** How much one round may acquire. */
    public record Limits(int maxRecords, int maxBytes, boolean recordLimitMode, boolean renew) {}

    /**
     * What one partition came to in a round.
     *
     * @param leaderId the partition's leader as far as this broker knows (KIP-951's hint when it is not this one),
     *     or -1
     * @param leaderEpoch that leader's epoch, or -1
     */
    public record PartitionOutcome(
            ShareSessions.SessionPartition partition,
            Errors error,
            String message,
            Errors ackError,
            String ackMessage,
            List<AcquiredRecords> acquired,
            BaseRecords records,
            int leaderId,
            int leaderEpoch) {

        boolean hasAcquired() {
            return !acquired.isEmpty();
        }
    }

    private final ReplicaManager replicas;
    private final int nodeId;

    public ShareRounds(ReplicaManager replicas, int nodeId) {
        this.replicas = replicas;
        this.nodeId = nodeId;
    }

    /**
     * Runs a round.
     *
     * @param acks the acknowledgements to apply, by partition
     * @param fetch the partitions to acquire records from (empty to only acknowledge)
     * @param rotation where the record limit starts being handed out
     */
    public CompletableFuture<List<PartitionOutcome>> run(
            SharePartitionManager shares,
            String groupId,
            String memberId,
            Map<ShareSessions.SessionPartition, List<Acknowledgement>> acks,
            List<ShareSessions.SessionPartition> fetch,
            Limits limits,
            int rotation) {
        Set<ShareSessions.SessionPartition> all = new LinkedHashSet<>(acks.keySet());
        all.addAll(fetch);
        int[] quotas = quotas(fetch.size(), limits.maxRecords(), limits.recordLimitMode(), rotation);
        Map<ShareSessions.SessionPartition, Integer> quotaOf = new HashMap<>();
        for (int i = 0; i < fetch.size(); i++) {
            quotaOf.put(fetch.get(i), quotas[i]);
        }
        int bytesEach = Math.max(1, limits.maxBytes() / Math.max(1, fetch.size()));
        List<CompletableFuture<PartitionOutcome>> outcomes = new ArrayList<>();
        for (ShareSessions.SessionPartition partition : all) {
            int maxRecords = limits.renew() ? 0 : quotaOf.getOrDefault(partition, 0);
            List<Acknowledgement> partitionAcks = acks.getOrDefault(partition, List.of());
            outcomes.add(partition(shares, groupId, memberId, partition, partitionAcks, maxRecords, bytesEach, limits));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(v -> outcomes.stream().map(CompletableFuture::join).toList());
    }

    /** Splits {@code maxRecords} over {@code partitions}, the remainder going first to the one at {@code rotation}. */
    static int[] quotas(int partitions, int maxRecords, boolean exact, int rotation) {
        int[] quotas = new int[partitions];
        if (partitions == 0 || maxRecords <= 0) {
            return quotas;
        }
        int each = maxRecords / partitions;
        int extra = maxRecords % partitions;
        for (int i = 0; i < partitions; i++) {
            int turn = Math.floorMod(i - rotation, partitions);
            quotas[i] = each + (turn < extra ? 1 : 0);
            if (!exact && quotas[i] == 0) {
                quotas[i] = 1;
            }
        }
        return quotas;
    }

    private CompletableFuture<PartitionOutcome> partition(
            SharePartitionManager shares,
            String groupId,
            String memberId,
            ShareSessions.SessionPartition partition,
            List<Acknowledgement> acks,
            int maxRecords,
            int maxBytes,
            Limits limits) {
        Optional<TopicImage> topic = replicas.image().topic(partition.topicId());
        if (topic.isEmpty()) {
            return failed(
                    null,
                    partition,
                    Errors.UNKNOWN_TOPIC_ID,
                    "Unknown topic id " + partition.topicId(),
                    !acks.isEmpty());
        }
        Optional<PartitionReplica> hosted =
                replicas.partition(new TopicPartition(topic.get().name(), partition.partition()));
        if (hosted.isEmpty() || partition.partition() < 0) {
            Errors error = topic.get().partitions().containsKey(partition.partition())
                    ? Errors.NOT_LEADER_OR_FOLLOWER
                    : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            return failed(
                    topic.get(),
                    partition,
                    error,
                    topic.get().name() + "-" + partition.partition() + " is not here",
                    !acks.isEmpty());
        }
        if (!hosted.get().isLeader()) {
            return failed(
                    topic.get(),
                    partition,
                    Errors.NOT_LEADER_OR_FOLLOWER,
                    "This broker does not lead it",
                    !acks.isEmpty());
        }
        SharePartitionKey key = new SharePartitionKey(groupId, partition.topicId(), partition.partition());
        FetchCommand command =
                new FetchCommand(key, memberId, acks, limits.renew(), maxRecords, maxBytes, !limits.recordLimitMode());
        return shares.fetch(command)
                .thenApply(outcome -> new PartitionOutcome(
                        partition,
                        outcome.error(),
                        outcome.message(),
                        outcome.ackError(),
                        outcome.ackMessage(),
                        outcome.acquired(),
                        records(hosted.get(), outcome.batches()),
                        nodeId,
                        hosted.get().leaderEpoch()))
                .exceptionally(failure -> {
                    Errors error = ShareCoordinator.errorFor(failure);
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    if (error == Errors.UNKNOWN_SERVER_ERROR) {
                        log.warn("Share fetch of {} for member {} failed", key, memberId, cause);
                    }
                    return outcome(
                            replicas.image().topic(partition.topicId()).orElse(null),
                            partition,
                            error,
                            String.valueOf(cause.getMessage()),
                            !acks.isEmpty());
                });
    }

    private CompletableFuture<PartitionOutcome> failed(
            TopicImage topic, ShareSessions.SessionPartition partition, Errors error, String message, boolean acked) {
        return CompletableFuture.completedFuture(outcome(topic, partition, error, message, acked));
    }

    /** A partition that failed: its leader as the metadata says, so that a client can go there. */
    private static PartitionOutcome outcome(
            TopicImage topic, ShareSessions.SessionPartition partition, Errors error, String message, boolean acked) {
        PartitionImage state = topic == null ? null : topic.partitions().get(partition.partition());
        boolean hint = state != null && error == Errors.NOT_LEADER_OR_FOLLOWER;
        return new PartitionOutcome(
                partition,
                error,
                message,
                acked ? error : Errors.NONE,
                acked ? message : null,
                List.of(),
                WireRecords.empty(),
                hint ? state.leader() : -1,
                hint ? state.leaderEpoch() : -1);
    }

    /**
     * The batches to send, as file regions: runs of adjacent batches are read as one region, and a run that crosses
     * a segment boundary becomes two. A batch that retention deleted meanwhile is left out; the consumer then
     * acknowledges its offsets as gaps.
     */
    private static BaseRecords records(PartitionReplica partition, List<BatchSpan> batches) {
        List<FramePart.FileRegion> regions = new ArrayList<>();
        int i = 0;
        while (i < batches.size()) {
            int end = i + 1;
            long bytes = batches.get(i).sizeInBytes();
            while (end < batches.size()
                    && batches.get(end).baseOffset() == batches.get(end - 1).lastOffset() + 1
                    && bytes + batches.get(end).sizeInBytes() <= Integer.MAX_VALUE) {
                bytes += batches.get(end).sizeInBytes();
                end++;
            }
            int covered = read(partition, batches.subList(i, end), (int) bytes, regions);
            i += Math.max(1, covered);
        }
        return regions.isEmpty() ? WireRecords.empty() : WireRecords.files(regions);
    }

    /** Reads a run of adjacent batches into {@code regions}; returns how many of them it covered. */
    private static int read(
            PartitionReplica partition, List<BatchSpan> run, int bytes, List<FramePart.FileRegion> regions) {
        try {
            LogSlice slice = partition.log().read(run.get(0).baseOffset(), bytes, partition.highWatermark(), true);
            if (slice.isEmpty() || slice.firstOffset() != run.get(0).baseOffset()) {
                return 1;
            }
            regions.add(new FramePart.FileRegion(slice.channel(), slice.position(), slice.sizeInBytes()));
            int covered = 0;
            long seen = 0;
            while (covered < run.size() && seen + run.get(covered).sizeInBytes() <= slice.sizeInBytes()) {
                seen += run.get(covered).sizeInBytes();
                covered++;
            }
            return covered;
        } catch (LogException e) {
            return 1;
        }
    }
}
