package io.wharf.coordinator.share;

import io.wharf.common.Clock;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.CoordinatorShard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share-partitions of one {@code __share_group_state} partition. Every operation decides a {@link Plan} per
 * share-partition and writes it as one update record; the share-partition changes when the record is replayed, and
 * only then. Soft state lives beside the records and may change while an operation computes: what a share-partition
 * has read of its log ({@link SharePartition#refresh}), lock and delay timers (rearmed at load), and dead-letter
 * copies in flight (written again at load for records still ARCHIVING, so a copy is written at least once).
 *
 * <p>Every method runs on the shard's thread.
 */
public final class ShareCoordinatorShard implements CoordinatorShard {

    private static final Logger log = LoggerFactory.getLogger(ShareCoordinatorShard.class);

    /** The result of a fetch on one share-partition. */
    public record FetchOutcome(
            Errors error,
            String message,
            Errors ackError,
            String ackMessage,
            List<AcquiredRecords> acquired,
            List<BatchSpan> batches,
            boolean notInitialized) {

        static FetchOutcome failed(Errors error, String message) {
            return new FetchOutcome(error, message, error, message, List.of(), List.of(), false);
        }
    }

    /** What one fetch asks of a share-partition. */
    public record FetchCommand(
            SharePartitionKey key,
            String memberId,
            List<Acknowledgement> acknowledgements,
            boolean renewAllowed,
            int maxRecords,
            long maxBytes,
            boolean alignToBatches) {}

    /** A share-partition as DescribeShareGroupOffsets shows it. */
    public record Offsets(SharePartitionKey key, long startOffset, long lag) {}

    private final CoordinatorRuntime.ShardContext<ShareCoordinatorShard> context;
    private final Clock clock;
    private final ShareLog shareLog;
    private final ShareConfigs configs;
    private final DeadLetters deadLetters;
    private final Consumer<SharePartitionKey> onAvailable;
    private final Map<SharePartitionKey, SharePartition> partitions = new HashMap<>();

    ShareCoordinatorShard(
            CoordinatorRuntime.ShardContext<ShareCoordinatorShard> context,
            Clock clock,
            ShareLog shareLog,
            ShareConfigs configs,
            DeadLetters deadLetters,
            Consumer<SharePartitionKey> onAvailable) {
        this.context = context;
        this.clock = clock;
        this.shareLog = shareLog;
        this.configs = configs;
        this.deadLetters = deadLetters;
        this.onAvailable = onAvailable;
    }

    SharePartition partition(SharePartitionKey key) {
        return partitions.get(key);
    }

    // ---- replay

    @Override
    public void replay(CoordinatorRecord record) {
        ShareRecords.Key key = ShareRecords.key(record.key());
        SharePartitionKey partitionKey = key.partition();
        if (key.type() == ShareRecords.STATE) {
            if (record.isTombstone()) {
                partitions.remove(partitionKey);
                return;
            }
            ShareRecords.Value value = ShareRecords.value(record.value());
            partitions
                    .computeIfAbsent(partitionKey, k -> new SharePartition(k, value.startOffset()))
                    .replace(value.startOffset(), value.runs());
            return;
        }
        SharePartition partition = partitions.get(partitionKey);
        if (partition != null && !record.isTombstone()) {
            ShareRecords.Value value = ShareRecords.value(record.value());
            partition.update(value.startOffset(), value.runs());
        }
    }

    @Override
    public List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> records = new ArrayList<>();
        partitions.forEach((key, partition) ->
                records.add(ShareRecords.state(key, partition.startOffset(), partition.snapshotRuns())));
        return records;
    }

    @Override
    public void onLoaded() {
        partitions.values().forEach(partition -> {
            schedule(partition);
            List<DeadLetters.Letter> pending = partition.archiving();
            if (!pending.isEmpty()) {
                writeDeadLetters(partition.key(), pending);
            }
        });
    }

    // ---- operations

    /** Creates the share-partition at the offset {@code share.auto.offset.reset} gives, unless it exists. */
    CoordinatorResult<Errors> initialize(SharePartitionKey key) {
        if (partitions.containsKey(key)) {
            return CoordinatorResult.answer(Errors.NONE);
        }
        Optional<ShareLog.Bounds> bounds = shareLog.bounds(key.topicId(), key.partition());
        if (bounds.isEmpty()) {
            return CoordinatorResult.answer(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        long start = startOffset(key, bounds.get(), configs.of(key.groupId()).offsetReset());
        return CoordinatorResult.of(List.of(ShareRecords.state(key, start, List.of())), Errors.NONE);
    }

    private long startOffset(SharePartitionKey key, ShareLog.Bounds bounds, OffsetReset reset) {
        return switch (reset.kind()) {
            case EARLIEST -> bounds.logStartOffset();
            case LATEST -> bounds.highWatermark();
            case BY_DURATION -> {
                long offset = shareLog.offsetForTimestamp(
                        key.topicId(),
                        key.partition(),
                        clock.nowMs() - reset.duration().toMillis());
                yield offset < 0 ? bounds.highWatermark() : Math.max(offset, bounds.logStartOffset());
            }
        };
    }

    /** Applies a member's acknowledgements, then acquires records for it. */
    CoordinatorResult<FetchOutcome> fetch(FetchCommand command) {
        SharePartitionKey key = command.key();
        SharePartition partition = partitions.get(key);
        if (partition == null) {
            boolean acks = !command.acknowledgements().isEmpty();
            return CoordinatorResult.answer(new FetchOutcome(
                    Errors.NONE,
                    null,
                    acks ? Errors.INVALID_RECORD_STATE : Errors.NONE,
                    acks ? "No record of " + key + " has been acquired" : null,
                    List.of(),
                    List.of(),
                    command.maxRecords() > 0));
        }
        Optional<ShareLog.Bounds> bounds = shareLog.bounds(key.topicId(), key.partition());
        if (bounds.isEmpty()) {
            return CoordinatorResult.answer(
                    FetchOutcome.failed(Errors.NOT_LEADER_OR_FOLLOWER, "This broker does not lead " + key));
        }
        ShareGroupConfig config = configs.of(key.groupId());
        long now = clock.nowMs();
        Plan plan = new Plan();
        SharePartition.AckOutcome ack = partition.planAcknowledge(
                plan, command.memberId(), command.acknowledgements(), command.renewAllowed(), now, config);
        if (command.maxRecords() > 0) {
            // Soft: what the log says about the window's records, read as the fetch computes.
            partition.refresh(shareLog, bounds.get(), config.maxRecordLocks());
            partition.planAcquire(
                    plan,
                    command.memberId(),
                    command.maxRecords(),
                    command.maxBytes(),
                    command.alignToBatches(),
                    bounds.get().logStartOffset(),
                    now,
                    config);
        }
        FetchOutcome outcome = new FetchOutcome(
                Errors.NONE, null, ack.error(), ack.message(), plan.acquiredRecords(), plan.batches(), false);
        return write(partition, plan, outcome);
    }

    /** Gives back what a member still holds, in every share-partition of its group on this shard. */
    CoordinatorResult<Void> releaseMember(String groupId, String memberId, boolean graceful) {
        ShareGroupConfig config = configs.of(groupId);
        List<CoordinatorRecord> records = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        long now = clock.nowMs();
        for (SharePartition partition : partitions.values()) {
            if (!partition.key().groupId().equals(groupId)) {
                continue;
            }
            Plan plan = new Plan();
            partition.planRelease(plan, memberId, false, graceful, now, config);
            if (!plan.isEmpty()) {
                records.add(ShareRecords.update(partition.key(), plan.newStart(), plan.runs()));
                after.add(afterChange(partition.key(), plan));
            }
        }
        return CoordinatorResult.deferred(records, CompletableFuture.completedFuture(null), after);
    }

    /** The timer of a share-partition fired: locks ran out, or delayed records came due. */
    CoordinatorResult<Void> expire(SharePartitionKey key) {
        SharePartition partition = partitions.get(key);
        if (partition == null) {
            return CoordinatorResult.answer(null);
        }
        Plan plan = new Plan();
        partition.planRelease(plan, null, true, false, clock.nowMs(), configs.of(key.groupId()));
        Runnable after = afterChange(key, plan);
        return CoordinatorResult.deferred(
                plan.isEmpty() ? List.of() : List.of(ShareRecords.update(key, plan.newStart(), plan.runs())),
                CompletableFuture.completedFuture(null),
                List.of(after, () -> onAvailable.accept(key)));
    }

    /** Dead-letter copies of {@code letters} are written (or could not be): their records are archived. */
    CoordinatorResult<Void> archived(SharePartitionKey key, List<DeadLetters.Letter> letters) {
        SharePartition partition = partitions.get(key);
        if (partition == null) {
            return CoordinatorResult.answer(null);
        }
        Plan plan = new Plan();
        partition.planArchived(plan, letters);
        return write(partition, plan, null);
    }

    /** Sets the start offset of a share-partition and forgets every record state (AlterShareGroupOffsets). */
    CoordinatorResult<Errors> reset(SharePartitionKey key, long startOffset) {
        return CoordinatorResult.of(List.of(ShareRecords.state(key, startOffset, List.of())), Errors.NONE);
    }

    /** Deletes the share-partitions {@code which} selects (DeleteShareGroupOffsets, DeleteGroups). */
    CoordinatorResult<List<SharePartitionKey>> delete(Predicate<SharePartitionKey> which) {
        List<SharePartitionKey> doomed =
                partitions.keySet().stream().filter(which).toList();
        List<CoordinatorRecord> records =
                doomed.stream().map(ShareRecords::delete).toList();
        // Soft: the timers of deleted share-partitions stop now; the partitions go when the tombstones are replayed.
        doomed.forEach(key -> context.cancel(timerKey(key)));
        return CoordinatorResult.of(records, doomed);
    }

    /** The share-partitions {@code which} selects, with their start offsets and lag. */
    List<Offsets> describe(Predicate<SharePartitionKey> which) {
        List<Offsets> result = new ArrayList<>();
        partitions.forEach((key, partition) -> {
            if (which.test(key)) {
                long lag = shareLog.bounds(key.topicId(), key.partition())
                        .map(b -> partition.lag(b.highWatermark()))
                        .orElse(-1L);
                result.add(new Offsets(key, partition.startOffset(), lag));
            }
        });
        return result;
    }

    // ---- after a change is durable

    private <T> CoordinatorResult<T> write(SharePartition partition, Plan plan, T response) {
        List<CoordinatorRecord> records = plan.isEmpty()
                ? List.of()
                : List.of(ShareRecords.update(partition.key(), plan.newStart(), plan.runs()));
        return CoordinatorResult.deferred(
                records, CompletableFuture.completedFuture(response), List.of(afterChange(partition.key(), plan)));
    }

    /** What to do once a plan's record is durable: rearm the timer, write dead letters, wake waiting fetches. */
    private Runnable afterChange(SharePartitionKey key, Plan plan) {
        List<DeadLetters.Letter> letters = plan.deadLetters();
        boolean released = plan.releasesAny();
        return () -> {
            SharePartition partition = partitions.get(key);
            if (partition == null) {
                return;
            }
            schedule(partition);
            if (!letters.isEmpty()) {
                writeDeadLetters(key, letters);
            }
            if (released) {
                onAvailable.accept(key);
            }
        };
    }

    private void schedule(SharePartition partition) {
        long now = clock.nowMs();
        long deadline = partition.nextDeadline(now);
        SharePartitionKey key = partition.key();
        if (deadline < 0) {
            context.cancel(timerKey(key));
        } else {
            context.schedule(timerKey(key), Math.max(0, deadline - now), shard -> shard.expire(key));
        }
    }

    private void writeDeadLetters(SharePartitionKey key, List<DeadLetters.Letter> letters) {
        String topic = configs.of(key.groupId()).deadLetterTopic();
        CompletableFuture<Void> written = topic == null
                ? CompletableFuture.failedFuture(new IllegalStateException("the group has no dead-letter topic"))
                : deadLetters.write(key, topic, letters);
        written.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn(
                        "{}: {} records archived without a dead-letter copy: {}",
                        key,
                        letters.size(),
                        failure.getMessage());
            }
            context.submit(shard -> shard.archived(key, letters));
        });
    }

    private static String timerKey(SharePartitionKey key) {
        return "share:" + key;
    }
}
