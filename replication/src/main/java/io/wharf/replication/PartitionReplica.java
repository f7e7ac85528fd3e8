package io.wharf.replication;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.storage.AppendOrigin;
import io.wharf.storage.AppendResult;
import io.wharf.storage.LogSlice;
import io.wharf.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition hosted here: its log, its role ({@link ReplicaRole}), what the metadata says about it (leader, epoch,
 * replicas, ISR), and its high watermark, the offset below which consumers may read.
 *
 * <p>The high watermark: with one replica it is the log end, except under {@code wharf.flush.policy=acks-all}, where it
 * is the durable offset, so a consumer never reads a record that a power failure could take back. The watermark moves
 * when a group-commit fsync completes. Who asks for that fsync:
 *
 * <ul>
 *   <li>an {@code acks=all} produce, which waits for it;
 *   <li>an append while consumers are reading the partition (a fetch in the last {@link #READERS_ACTIVE_MS}, or one
 *       waiting), so they see new records one fsync after they are written;
 *   <li>a consumer's fetch, a ListOffsets or a DeleteRecords that finds the watermark behind the log end;
 *   <li>otherwise, an append at most every {@link #UNREAD_FLUSH_INTERVAL_MS}: a partition that is only written to
 *       with {@code acks=0} or {@code acks=1} pays a few large fsyncs a second instead of one per append.
 * </ul>
 *
 * <p>Threads: appends from request threads (the log serializes them); the watermark moves from request and flush
 * threads under this object's lock; reads from anywhere.
 */
public final class PartitionReplica {

    private static final Logger log = LoggerFactory.getLogger(PartitionReplica.class);

    private final TopicPartition topicPartition;
    private final TopicId topicId;
    private final PartitionLog partitionLog;
    /** How long after its last fetch a partition counts as being read. */
    static final long READERS_ACTIVE_MS = 1_000;
    /** How often an append to a partition nobody reads asks for an fsync. */
    static final long UNREAD_FLUSH_INTERVAL_MS = 100;

    private final CopyOnWriteArrayList<Runnable> watermarkWatchers = new CopyOnWriteArrayList<>();
    private final int localBrokerId;
    private volatile PartitionAssignment assignment;
    private volatile ReplicaRole role = ReplicaRole.NOT_HOSTED;
    private volatile long lastReadMs = Long.MIN_VALUE / 2;
    private volatile long lastUnreadFlushMs = Long.MIN_VALUE / 2;

    public PartitionReplica(
            TopicPartition topicPartition,
            TopicId topicId,
            PartitionLog partitionLog,
            int localBrokerId,
            PartitionAssignment assignment) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.partitionLog = partitionLog;
        this.localBrokerId = localBrokerId;
        this.assignment = assignment;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public TopicId topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return partitionLog;
    }

    public PartitionAssignment assignment() {
        return assignment;
    }

    public ReplicaRole role() {
        return role;
    }

    public int leaderEpoch() {
        return assignment.leaderEpoch();
    }

    /** Whether this replica leads the partition: it takes appends and serves consumers. */
    public boolean isLeader() {
        return role == ReplicaRole.LEADER;
    }

    public long highWatermark() {
        return partitionLog.highWatermark();
    }

    public boolean isRemoved() {
        return role == ReplicaRole.REMOVED;
    }

    /**
     * Takes the role the metadata gives this broker: leader when it names this broker, follower otherwise. A leader
     * told of a new epoch stays leader in it.
     *
     * @throws IllegalStateException when the replica was removed, or the new assignment goes back in leader epoch
     */
    public synchronized void update(PartitionAssignment next) {
        if (next.leaderEpoch() < assignment.leaderEpoch()) {
            throw new IllegalStateException(topicPartition + ": leader epoch " + next.leaderEpoch() + " is older than "
                    + assignment.leaderEpoch());
        }
        ReplicaRole target = next.isLeader(localBrokerId) ? ReplicaRole.LEADER : ReplicaRole.FOLLOWER;
        role = role.moveTo(target);
        assignment = next;
        if (role == ReplicaRole.LEADER) {
            moveWatermarkToReadable();
        }
        wakeWatchers();
    }

    /** The partition is deleted or moved off this broker: nothing may use the replica any more. */
    public synchronized void remove() {
        role = role.moveTo(ReplicaRole.REMOVED);
        wakeWatchers();
    }

    /**
     * Appends a producer's batch as leader and moves the watermark as the flush policy allows.
     *
     * @throws io.wharf.storage.LogException when the log refuses the batch
     */
    public AppendResult appendAsLeader(ByteBuffer records) {
        AppendResult result = partitionLog.append(records, AppendOrigin.CLIENT, assignment.leaderEpoch());
        if (!result.duplicate()) {
            if (partitionLog.config().exposesUnflushed() || isBeingRead()) {
                moveWatermarkToReadable();
            } else {
                long now = partitionLog.clock().nowMs();
                if (now - lastUnreadFlushMs >= UNREAD_FLUSH_INTERVAL_MS) {
                    lastUnreadFlushMs = now;
                    moveWatermarkToReadable();
                }
            }
        }
        return result;
    }

    private boolean isBeingRead() {
        return !watermarkWatchers.isEmpty() || partitionLog.clock().nowMs() - lastReadMs < READERS_ACTIVE_MS;
    }

    /**
     * Completes once the high watermark covers every record appended before the call: what ListOffsets and
     * DeleteRecords answer from.
     */
    public CompletableFuture<Void> settleWatermark() {
        if (partitionLog.config().exposesUnflushed()) {
            advanceHighWatermark(partitionLog.logEndOffset());
            return CompletableFuture.completedFuture(null);
        }
        return awaitDurable(partitionLog.logEndOffset());
    }

    /** Appends a batch the broker itself wrote (a coordinator's records) as leader. */
    public AppendResult appendInternal(ByteBuffer records) {
        AppendResult result = partitionLog.append(records, AppendOrigin.INTERNAL, assignment.leaderEpoch());
        moveWatermarkToReadable();
        return result;
    }

    /**
     * Completes once every record below {@code offset} is on disk and the high watermark has moved past it, so a
     * producer told its record is written finds it visible to consumers.
     */
    public CompletableFuture<Void> awaitDurable(long offset) {
        return partitionLog.flush(offset).thenRun(() -> advanceHighWatermark(partitionLog.durableOffset()));
    }

    /** Whether acks=all must wait for the fsync before answering. */
    public boolean acksWaitForFsync() {
        return !partitionLog.config().exposesUnflushed();
    }

    /** Moves the watermark to the log end, or, under acks-all, to what is durable after asking for an fsync. */
    private void moveWatermarkToReadable() {
        if (partitionLog.config().exposesUnflushed()) {
            advanceHighWatermark(partitionLog.logEndOffset());
            return;
        }
        long end = partitionLog.logEndOffset();
        advanceHighWatermark(partitionLog.durableOffset());
        if (end > partitionLog.durableOffset()) {
            partitionLog.flush(end).whenComplete((ok, failure) -> {
                if (failure != null) {
                    log.error("{}: fsync failed; the high watermark stays at {}", topicPartition, highWatermark());
                } else {
                    advanceHighWatermark(partitionLog.durableOffset());
                }
            });
        }
    }

    private void advanceHighWatermark(long offset) {
        boolean moved;
        synchronized (this) {
            long current = partitionLog.highWatermark();
            partitionLog.updateHighWatermark(Math.max(current, offset));
            moved = partitionLog.highWatermark() > current;
        }
        if (moved) {
            wakeWatchers();
        }
    }

    /** Reads whole batches for a consumer, never past the high watermark. */
    public LogSlice readForConsumer(long fetchOffset, int maxBytes, boolean minOneBatch) {
        noteReader();
        return partitionLog.read(fetchOffset, maxBytes, highWatermark(), minOneBatch);
    }

    /** Runs {@code watcher} whenever the watermark moves (or the partition goes away), until it is removed. */
    public void watchWatermark(Runnable watcher) {
        watermarkWatchers.add(watcher);
        noteReader();
    }

    /** Marks the partition as being read, and asks for the fsync that shows a reader what was appended unread. */
    private void noteReader() {
        lastReadMs = partitionLog.clock().nowMs();
        if (partitionLog.highWatermark() < partitionLog.logEndOffset()) {
            moveWatermarkToReadable();
        }
    }

    public void unwatchWatermark(Runnable watcher) {
        watermarkWatchers.remove(watcher);
    }

    private void wakeWatchers() {
        for (Runnable watcher : watermarkWatchers) {
            watcher.run();
        }
    }

    @Override
    public String toString() {
        return "PartitionReplica(" + topicPartition + ", " + role + ", leader " + assignment.leader() + ", epoch "
                + assignment.leaderEpoch() + ")";
    }
}
