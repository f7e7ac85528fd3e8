package io.wharf.replication;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.storage.AppendOrigin;
import io.wharf.storage.AppendResult;
import io.wharf.storage.LogSlice;
import io.wharf.storage.OffsetOutOfRangeException;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.epoch.LeaderEpochCache;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition hosted here: its log, its role ({@link ReplicaRole}), what the metadata says about it (leader, epoch,
 * replicas, ISR), and its high watermark, the offset below which consumers may read and below which a write is
 * committed.
 *
 * <p><b>As leader</b> it takes appends, serves consumers below the high watermark and followers up to its log end, and
 * tracks how far each follower has fetched ({@link FollowerTracker}). The high watermark is the lowest position in the
 * ISR, where this replica's own position is its durable offset under {@code wharf.flush.policy=acks-all} (so nothing
 * a power failure could take back is ever committed) and its log end under the other policies; a follower's position
 * is its fetch offset, which a follower under acks-all only sends once everything before it is on its disk. While an
 * ISR change is in flight, the ISR counted is the larger of the two (Kafka's "maximal ISR"), so the watermark never
 * counts on a replica the metadata is not sure of. The watermark does not move while the ISR has fewer than {@code
 * min.insync.replicas} members. ISR changes go to the controller through an {@link IsrChannel}: a follower that has
 * not caught up for {@code replica.lag.time.max.ms} is dropped, one that has reached the high watermark and the
 * start of the leader epoch is added.
 *
 * <p><b>As follower</b> it appends what the leader sent, with the leader's offsets and epochs, truncates where its log
 * diverged from the leader's, and takes the leader's high watermark (never above its own position).
 *
 * <p>Who asks for the fsync that moves a leader's watermark under acks-all: an {@code acks=all} produce or a
 * coordinator write (waiting in {@link #awaitCommitted}); an append while consumers or followers are reading the
 * partition (a fetch in the last {@link #READERS_ACTIVE_MS}, or one waiting), so they see new records one fsync after
 * they are written; a fetch, ListOffsets or DeleteRecords that finds the watermark behind; otherwise an append at most
 * every {@link #UNREAD_FLUSH_INTERVAL_MS}, so a partition written with {@code acks=0}/{@code acks=1} and read by
 * nobody pays a few large fsyncs a second instead of one per append.
 *
 * <p>Threads: appends from request threads (the log serializes them) and from one replica fetcher; role changes from
 * the metadata publisher; reads from anywhere. State is guarded by this object's lock; futures complete and watchers
 * run outside it.
 */
public final class PartitionReplica {

    private static final Logger log = LoggerFactory.getLogger(PartitionReplica.class);

    /** How long after its last fetch a partition counts as being read. */
    static final long READERS_ACTIVE_MS = 1_000;
    /** How often an append to a partition nobody reads asks for an fsync. */
    static final long UNREAD_FLUSH_INTERVAL_MS = 100;

    private final TopicPartition topicPartition;
    private final TopicId topicId;
    private final PartitionLog partitionLog;
    private final int localBrokerId;
    private final IsrChannel isrChannel;
    private final CopyOnWriteArrayList<Runnable> watermarkWatchers = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> logEndWatchers = new CopyOnWriteArrayList<>();
    private final FollowerTracker followers = new FollowerTracker();
    private final CommitWaiters commitWaiters = new CommitWaiters();
    private volatile PartitionAssignment assignment;
    private volatile ReplicaRole role = ReplicaRole.NOT_HOSTED;
    private volatile int minInsyncReplicas = 1;
    /** The ISR asked for from the controller and not yet in the metadata; null when none is pending. */
    private List<Integer> pendingIsr;
    /** Where this replica's log ended when it became leader in the current epoch. */
    private long leaderEpochStartOffset;

    private volatile long lastReadMs = Long.MIN_VALUE / 2;
    private volatile long lastUnreadFlushMs = Long.MIN_VALUE / 2;

    public PartitionReplica(
            TopicPartition topicPartition,
            TopicId topicId,
            PartitionLog partitionLog,
            int localBrokerId,
            PartitionAssignment assignment,
            IsrChannel isrChannel) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.partitionLog = partitionLog;
        this.localBrokerId = localBrokerId;
        this.assignment = assignment;
        this.isrChannel = isrChannel;
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

    public boolean isFollower() {
        return role == ReplicaRole.FOLLOWER;
    }

    public long highWatermark() {
        return partitionLog.highWatermark();
    }

    public boolean isRemoved() {
        return role == ReplicaRole.REMOVED;
    }

    /** {@code min.insync.replicas} of the partition's topic, as its config says now. */
    public void setMinInsyncReplicas(int value) {
        this.minInsyncReplicas = Math.max(1, value);
        maybeAdvanceHighWatermark();
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /**
     * Takes the role the metadata gives this broker: leader when it names this broker, follower otherwise. A leader
     * told of a new epoch stays leader in it, with every follower starting over.
     *
     * @throws IllegalStateException when the replica was removed, or the new assignment goes back in leader epoch
     */
    public void update(PartitionAssignment next) {
        List<CompletableFuture<Void>> abandoned = List.of();
        synchronized (this) {
            if (next.leaderEpoch() < assignment.leaderEpoch()) {
                throw new IllegalStateException(topicPartition + ": leader epoch " + next.leaderEpoch()
                        + " is older than " + assignment.leaderEpoch());
            }
            ReplicaRole target = next.isLeader(localBrokerId) ? ReplicaRole.LEADER : ReplicaRole.FOLLOWER;
            boolean newEpoch = role != target || next.leaderEpoch() != assignment.leaderEpoch();
            role = role.moveTo(target);
            long now = partitionLog.clock().nowMs();
            if (target == ReplicaRole.LEADER && newEpoch) {
                leaderEpochStartOffset = partitionLog.logEndOffset();
                followers.reset(next.replicas(), localBrokerId, now);
            } else if (target == ReplicaRole.LEADER) {
                followers.retain(next.replicas(), localBrokerId, now);
            } else {
                abandoned = commitWaiters.all();
            }
            if (pendingIsr != null && next.partitionEpoch() != assignment.partitionEpoch()) {
                pendingIsr = null;
            }
            assignment = next;
        }
        fail(abandoned, ReplicaError.NOT_LEADER_OR_FOLLOWER, "no longer the leader of " + topicPartition);
        if (role == ReplicaRole.LEADER) {
            moveWatermarkToReadable();
        }
        wakeWatchers();
    }

    /** The partition is deleted or moved off this broker: nothing may use the replica any more. */
    public void remove() {
        List<CompletableFuture<Void>> abandoned;
        synchronized (this) {
            role = role.moveTo(ReplicaRole.REMOVED);
            abandoned = commitWaiters.all();
        }
        fail(abandoned, ReplicaError.NOT_LEADER_OR_FOLLOWER, topicPartition + " is no longer hosted here");
        wakeWatchers();
    }

    private static void fail(List<CompletableFuture<Void>> futures, ReplicaError error, String message) {
        if (!futures.isEmpty()) {
            ReplicaException failure = new ReplicaException(error, message);
            futures.forEach(f -> f.completeExceptionally(failure));
        }
    }

    private void requireLeader() {
        if (role != ReplicaRole.LEADER) {
            throw new ReplicaException(
                    ReplicaError.NOT_LEADER_OR_FOLLOWER, "this broker does not lead " + topicPartition);
        }
    }

    /**
     * Appends a producer's batch as leader and moves the watermark as the flush policy allows.
     *
     * @throws io.wharf.storage.LogException when the log refuses the batch
     * @throws ReplicaException NOT_LEADER_OR_FOLLOWER when this replica does not lead
     */
    public AppendResult appendAsLeader(ByteBuffer records) {
        return appendAsLeader(records, null);
    }

    /** Appends a producer's batch; a verified transactional one carries its verification token (KIP-890). */
    public AppendResult appendAsLeader(ByteBuffer records, Object verificationGuard) {
        requireLeader();
        AppendResult result =
                partitionLog.append(records, AppendOrigin.CLIENT, assignment.leaderEpoch(), verificationGuard);
        if (!result.duplicate()) {
            wakeLogEndWatchers();
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

    /** Appends a batch the broker itself wrote (a coordinator's records) as leader. */
    public AppendResult appendInternal(ByteBuffer records) {
        requireLeader();
        AppendResult result = partitionLog.append(records, AppendOrigin.INTERNAL, assignment.leaderEpoch());
        wakeLogEndWatchers();
        moveWatermarkToReadable();
        return result;
    }

    /**
     * Appends a transaction marker from the transaction coordinator ({@link AppendOrigin#COORDINATOR}); its commit
     * moves the last stable offset, so the watermark is pushed towards it at once.
     */
    public AppendResult appendMarker(ByteBuffer records) {
        requireLeader();
        AppendResult result = partitionLog.append(records, AppendOrigin.COORDINATOR, assignment.leaderEpoch());
        wakeLogEndWatchers();
        moveWatermarkToReadable();
        return result;
    }

    private boolean isBeingRead() {
        return !watermarkWatchers.isEmpty()
                || !logEndWatchers.isEmpty()
                || partitionLog.clock().nowMs() - lastReadMs < READERS_ACTIVE_MS;
    }

    /**
     * Completes once the high watermark has passed {@code offset}: every in-sync replica has the records below it (on
     * disk, under acks-all), so the write is committed. Fails with NOT_LEADER_OR_FOLLOWER if this replica stops
     * leading first.
     */
    public CompletableFuture<Void> awaitCommitted(long offset) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        synchronized (this) {
            if (role != ReplicaRole.LEADER) {
                committed.completeExceptionally(new ReplicaException(
                        ReplicaError.NOT_LEADER_OR_FOLLOWER, "this broker does not lead " + topicPartition));
                return committed;
            }
            if (partitionLog.highWatermark() >= offset) {
                committed.complete(null);
                return committed;
            }
            commitWaiters.add(offset, committed);
        }
        if (!partitionLog.config().exposesUnflushed()) {
            partitionLog.flush(offset).whenComplete((ok, failure) -> {
                if (failure != null) {
                    log.error("{}: fsync failed; the high watermark stays at {}", topicPartition, highWatermark());
                } else {
                    maybeAdvanceHighWatermark();
                }
            });
        }
        maybeAdvanceHighWatermark();
        return committed;
    }

    /**
     * Completes once the high watermark covers every record appended before the call, where only this replica's own
     * position holds it back (it is the only in-sync replica): what ListOffsets and DeleteRecords answer from. With
     * followers in the ISR it completes at once, and the answer shows the watermark as it stands.
     */
    public CompletableFuture<Void> settleWatermark() {
        boolean alone;
        synchronized (this) {
            alone = maximalIsr().equals(List.of(localBrokerId));
        }
        if (role != ReplicaRole.LEADER || !alone) {
            return CompletableFuture.completedFuture(null);
        }
        return awaitCommitted(partitionLog.logEndOffset());
    }

    /**
     * Whether this leader's high watermark is still below where its log ended when it took the current epoch, while
     * it has the in-sync replicas to move it: its followers have not fetched since the election, so it cannot know
     * yet how far the previous leader committed, and the watermark it would give as the end of the log may be short
     * of records acknowledged before the election. ListOffsets answers OFFSET_NOT_AVAILABLE meanwhile, as Kafka does,
     * and clients retry. With fewer in-sync replicas than {@code min.insync.replicas} the watermark does not move,
     * and what it says is what a consumer can read.
     */
    public synchronized boolean watermarkBehindEpochStart() {
        return role == ReplicaRole.LEADER
                && partitionLog.highWatermark() < leaderEpochStartOffset
                && maximalIsr().size() >= minInsyncReplicas;
    }

    /** Whether acks=all waits for anything beyond the append: an fsync, or followers. */
    public boolean acksWaitForCommit() {
        return !partitionLog.config().exposesUnflushed() || assignment.isr().size() > 1;
    }

    /** This replica's own position: what it has durably under acks-all, its log end otherwise. */
    private long localPosition() {
        return partitionLog.config().exposesUnflushed() ? partitionLog.logEndOffset() : partitionLog.durableOffset();
    }

    /** The ISR, with the members a pending change adds: what the watermark counts on. Under the lock. */
    private List<Integer> maximalIsr() {
        Set<Integer> members = new LinkedHashSet<>(assignment.isr());
        if (pendingIsr != null) {
            members.addAll(pendingIsr);
        }
        return new ArrayList<>(members);
    }

    /** Moves the watermark to the log end, or, under acks-all, to what is durable after asking for an fsync. */
    private void moveWatermarkToReadable() {
        long end = partitionLog.logEndOffset();
        if (!partitionLog.config().exposesUnflushed() && end > partitionLog.durableOffset()) {
            partitionLog.flush(end).whenComplete((ok, failure) -> {
                if (failure != null) {
                    log.error("{}: fsync failed; the high watermark stays at {}", topicPartition, highWatermark());
                } else {
                    maybeAdvanceHighWatermark();
                }
            });
        }
        maybeAdvanceHighWatermark();
    }

    /** Moves a leader's watermark to the lowest position in the ISR, if that is further than it is. */
    private void maybeAdvanceHighWatermark() {
        List<CompletableFuture<Void>> due;
        boolean moved;
        synchronized (this) {
            if (role != ReplicaRole.LEADER) {
                return;
            }
            List<Integer> isr = maximalIsr();
            if (isr.size() < minInsyncReplicas) {
                return;
            }
            long candidate = localPosition();
            for (int replica : isr) {
                if (replica != localBrokerId) {
                    candidate = Math.min(candidate, followers.position(replica));
                }
            }
            long current = partitionLog.highWatermark();
            moved = candidate > current;
            if (moved) {
                partitionLog.updateHighWatermark(candidate);
            }
            due = commitWaiters.due(partitionLog.highWatermark());
        }
        due.forEach(f -> f.complete(null));
        if (moved) {
            wakeWatermarkWatchers();
        }
    }

    /**
     * Serves a follower's fetch, as leader: checks the follower's idea of the leader epoch and of its own log, notes
     * its position (which may move the watermark or add it to the ISR), and reads from its position up to the log
     * end.
     *
     * @param lastFetchedEpoch the epoch of the follower's last batch, or -1 for an empty log
     */
    public FollowerRead readForFollower(
            int replicaId, long fetchOffset, int lastFetchedEpoch, int currentLeaderEpoch, int maxBytes) {
        if (role != ReplicaRole.LEADER) {
            return FollowerRead.failed(ReplicaError.NOT_LEADER_OR_FOLLOWER);
        }
        int epoch = assignment.leaderEpoch();
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch != epoch) {
            return FollowerRead.failed(
                    currentLeaderEpoch < epoch ? ReplicaError.FENCED_LEADER_EPOCH : ReplicaError.UNKNOWN_LEADER_EPOCH);
        }
        long logEnd = partitionLog.logEndOffset();
        if (lastFetchedEpoch >= 0) {
            LeaderEpochCache.EpochEndOffset end = endOfEpoch(lastFetchedEpoch, logEnd);
            if (end.epoch() != lastFetchedEpoch || end.endOffset() < fetchOffset) {
                return new FollowerRead(
                        ReplicaError.NONE,
                        LogSlice.EMPTY,
                        highWatermark(),
                        partitionLog.logStartOffset(),
                        logEnd,
                        end.epoch(),
                        Math.min(end.endOffset(), fetchOffset));
            }
        }
        if (fetchOffset < partitionLog.logStartOffset() || fetchOffset > logEnd) {
            return new FollowerRead(
                    ReplicaError.OFFSET_OUT_OF_RANGE,
                    LogSlice.EMPTY,
                    highWatermark(),
                    partitionLog.logStartOffset(),
                    logEnd,
                    -1,
                    -1);
        }
        lastReadMs = partitionLog.clock().nowMs();
        List<Integer> expanded = null;
        synchronized (this) {
            if (!followers.fetched(replicaId, fetchOffset, logEnd, lastReadMs)) {
                return FollowerRead.failed(ReplicaError.NOT_LEADER_OR_FOLLOWER);
            }
            boolean inIsr = assignment.isr().contains(replicaId);
            if (!inIsr
                    && pendingIsr == null
                    && fetchOffset >= partitionLog.highWatermark()
                    && fetchOffset >= leaderEpochStartOffset) {
                expanded = new ArrayList<>(assignment.isr());
                expanded.add(replicaId);
            }
        }
        if (expanded != null) {
            proposeIsr(expanded);
        }
        moveWatermarkToReadable();
        LogSlice slice;
        try {
            slice = partitionLog.read(fetchOffset, maxBytes, logEnd, true);
        } catch (OffsetOutOfRangeException e) {
            return new FollowerRead(
                    ReplicaError.OFFSET_OUT_OF_RANGE,
                    LogSlice.EMPTY,
                    highWatermark(),
                    partitionLog.logStartOffset(),
                    logEnd,
                    -1,
                    -1);
        }
        return new FollowerRead(
                ReplicaError.NONE, slice, highWatermark(), partitionLog.logStartOffset(), logEnd, -1, -1);
    }

    /**
     * Where {@code epoch} ends in this log: the start of the next epoch, or the log end for the latest. When every
     * epoch this log has is newer (its records all come from leaders after that epoch), nothing in it from its first
     * epoch on can be that epoch's: it ends where this log's first epoch starts, as Kafka answers. A leader asked by a
     * follower whose records all come from such an older epoch (a follower that led an empty log and wrote records
     * nobody fetched) tells it so and it truncates there; answered undefined, the follower looked caught up, never
     * fetched anything and took the leader's high watermark over records the leader never had.
     */
    private LeaderEpochCache.EpochEndOffset endOfEpoch(int epoch, long logEnd) {
        LeaderEpochCache epochs = partitionLog.leaderEpochs();
        LeaderEpochCache.EpochEndOffset end = epochs.endOffsetFor(epoch, logEnd);
        if (end.epoch() != LeaderEpochCache.UNDEFINED_EPOCH) {
            return end;
        }
        List<LeaderEpochCache.EpochEntry> entries = epochs.entries();
        long firstStart = entries.isEmpty()
                ? partitionLog.logStartOffset()
                : entries.get(0).startOffset();
        return new LeaderEpochCache.EpochEndOffset(epoch, firstStart);
    }

    /**
     * Drops from the ISR every follower that has not caught up for {@code lagMaxMs}, through the controller; called
     * periodically on leaders.
     */
    public void maybeShrinkIsr(long lagMaxMs) {
        List<Integer> shrunk = null;
        synchronized (this) {
            if (role != ReplicaRole.LEADER || pendingIsr != null) {
                return;
            }
            List<Integer> laggards = followers.laggards(
                    assignment.isr().stream().filter(r -> r != localBrokerId).toList(),
                    partitionLog.clock().nowMs(),
                    lagMaxMs);
            if (!laggards.isEmpty()) {
                shrunk = assignment.isr().stream()
                        .filter(r -> !laggards.contains(r))
                        .toList();
            }
        }
        if (shrunk != null) {
            log.info("{}: shrinking the ISR from {} to {}", topicPartition, assignment.isr(), shrunk);
            proposeIsr(shrunk);
        }
    }

    /** Sends an ISR change to the controller; one at a time. */
    private void proposeIsr(List<Integer> isr) {
        PartitionAssignment base;
        synchronized (this) {
            if (pendingIsr != null || role != ReplicaRole.LEADER) {
                return;
            }
            pendingIsr = List.copyOf(isr);
            base = assignment;
        }
        isrChannel
                .alterIsr(this, base.leaderEpoch(), base.partitionEpoch(), isr)
                .whenComplete((ok, failure) -> {
                    synchronized (this) {
                        if (pendingIsr != null && assignment.partitionEpoch() == base.partitionEpoch()) {
                            // Refused or lost: the next fetch or lag check proposes again from the metadata as it is.
                            pendingIsr = null;
                        }
                    }
                    if (failure != null) {
                        log.debug("{}: the ISR change to {} failed", topicPartition, isr, failure);
                    }
                });
    }

    /** The epoch of the last batch in this replica's log: what a follower tells its leader it last fetched. */
    public int lastEpoch() {
        return partitionLog.leaderEpochs().latestEpoch();
    }

    /**
     * Appends what the leader sent, with the leader's offsets and epochs.
     *
     * @throws ReplicaException NOT_LEADER_OR_FOLLOWER when this replica is not a follower
     * @throws io.wharf.storage.LogException when the log refuses the batches
     */
    public AppendResult appendAsFollower(ByteBuffer records) {
        if (role != ReplicaRole.FOLLOWER) {
            throw new ReplicaException(ReplicaError.NOT_LEADER_OR_FOLLOWER, "not a follower of " + topicPartition);
        }
        AppendResult result = partitionLog.append(records, AppendOrigin.REPLICATION, -1);
        lastReadMs = partitionLog.clock().nowMs();
        return result;
    }

    /** Cuts the follower's log at {@code offset}, where it diverged from the leader's. */
    public void truncateTo(long offset) {
        if (role != ReplicaRole.FOLLOWER) {
            throw new ReplicaException(ReplicaError.NOT_LEADER_OR_FOLLOWER, "not a follower of " + topicPartition);
        }
        if (offset < partitionLog.logEndOffset()) {
            log.info(
                    "{}: truncating from {} to {}, where it diverged from the leader",
                    topicPartition,
                    partitionLog.logEndOffset(),
                    offset);
            partitionLog.truncateTo(offset);
        }
    }

    /**
     * Cuts the follower's log where it diverged from the leader's, which told it that its epoch {@code epoch} (the
     * largest the leader has at or below this log's last) ends at {@code leaderEndOffset}. The logs agree at most up
     * to the end of that epoch in both: past it in this log come records of an epoch the leader does not have (or
     * has elsewhere). So the cut is at the earlier of the two ends, as Kafka's follower truncates; cutting at the
     * leader's end alone could keep records of another epoch below it, which the next fetch would find diverging
     * again, at the same place, for ever.
     */
    public void truncateToDivergence(int epoch, long leaderEndOffset) {
        long end = partitionLog.logEndOffset();
        truncateTo(
                Math.min(Math.min(leaderEndOffset, end), endOfEpoch(epoch, end).endOffset()));
    }

    /**
     * Empties the follower's log and starts it at {@code offset}: the leader's log starts there, past this
     * follower's end, since retention or DeleteRecords removed what this follower never got.
     */
    public void startOver(long offset) {
        if (role != ReplicaRole.FOLLOWER) {
            throw new ReplicaException(ReplicaError.NOT_LEADER_OR_FOLLOWER, "not a follower of " + topicPartition);
        }
        partitionLog.truncateFullyAndStartAt(offset);
        synchronized (this) {
            partitionLog.updateHighWatermark(Math.max(partitionLog.highWatermark(), offset));
        }
    }

    /** Takes the leader's high watermark, as far as this replica's own position allows. */
    public void followLeaderHighWatermark(long leaderHighWatermark) {
        boolean moved;
        synchronized (this) {
            if (role != ReplicaRole.FOLLOWER) {
                return;
            }
            long target = Math.min(leaderHighWatermark, localPosition());
            long current = partitionLog.highWatermark();
            moved = target > current;
            if (moved) {
                partitionLog.updateHighWatermark(target);
            }
        }
        if (moved) {
            wakeWatermarkWatchers();
        }
    }

    /** Reads whole batches for a consumer, never past the high watermark. */
    public LogSlice readForConsumer(long fetchOffset, int maxBytes, boolean minOneBatch) {
        return readForConsumer(fetchOffset, maxBytes, minOneBatch, false);
    }

    /**
     * Reads for a consumer up to the high watermark, or under read_committed up to the last stable offset, so that
     * no undecided transaction's records are served to it.
     */
    public LogSlice readForConsumer(long fetchOffset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
        noteReader();
        long upper = readCommitted ? partitionLog.lastStableOffset() : highWatermark();
        return partitionLog.read(fetchOffset, maxBytes, upper, minOneBatch);
    }

    /** The last stable offset (see {@link PartitionLog#lastStableOffset()}). */
    public long lastStableOffset() {
        return partitionLog.lastStableOffset();
    }

    /** Runs {@code watcher} whenever the watermark moves (or the role changes), until it is removed. */
    public void watchWatermark(Runnable watcher) {
        watermarkWatchers.add(watcher);
        noteReader();
    }

    public void unwatchWatermark(Runnable watcher) {
        watermarkWatchers.remove(watcher);
    }

    /** Runs {@code watcher} whenever the log end moves (or the role changes): what waiting follower fetches need. */
    public void watchLogEnd(Runnable watcher) {
        logEndWatchers.add(watcher);
    }

    public void unwatchLogEnd(Runnable watcher) {
        logEndWatchers.remove(watcher);
    }

    /** Marks the partition as being read, and asks for the fsync that shows a reader what was appended unread. */
    private void noteReader() {
        lastReadMs = partitionLog.clock().nowMs();
        if (role == ReplicaRole.LEADER && partitionLog.highWatermark() < partitionLog.logEndOffset()) {
            moveWatermarkToReadable();
        }
    }

    private void wakeWatchers() {
        wakeWatermarkWatchers();
        wakeLogEndWatchers();
    }

    private void wakeWatermarkWatchers() {
        for (Runnable watcher : watermarkWatchers) {
            watcher.run();
        }
    }

    private void wakeLogEndWatchers() {
        for (Runnable watcher : logEndWatchers) {
            watcher.run();
        }
    }

    @Override
    public String toString() {
        PartitionAssignment current = assignment;
        return "PartitionReplica(" + topicPartition + ", " + role + ", leader " + current.leader() + ", epoch "
                + current.leaderEpoch() + ", isr " + current.isr() + ")";
    }
}
