package io.wharf.coordinator.share;

import io.wharf.common.Invariants;
import io.wharf.common.concurrent.SerialExecutor;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share-partition on the broker that leads its data partition (KIP-932's share-partition leader): the state
 * machine of its records, in memory next to the log it hands out, with its durable state kept by the share
 * coordinator through the {@link SharePersister}.
 *
 * <pre>
 * LOADING ──state read (created first, when missing and an operation wants records)───────────────▶ ACTIVE
 * LOADING ──missing, and nothing wants it created: the operations get their answers for no state──▶ CLOSED
 * LOADING ──the read failed────────────────────────────────────────────────────────────────────────▶ CLOSED
 * LOADING, ACTIVE ──this broker no longer leads the data partition in the epoch it loaded in──────▶ CLOSED
 * ACTIVE ──a write refused as FENCED_STATE_EPOCH (a reset or delete): nothing was written───────────▶ CLOSED
 * ACTIVE ──a write refused as FENCED_LEADER_EPOCH (a later leader read the state)───────────────────▶ CLOSED
 * ACTIVE ──a write failed otherwise (its outcome unknown), or evicted while idle─────────────────────▶ CLOSED
 * </pre>
 *
 * Operations run one at a time, in arrival order. Each computes a plan from the durable state (changing only soft
 * state: what it reads of the log), the plan goes to the share coordinator as one write, and the share-partition
 * changes (replays the plan) once the write is durable; only then does the next operation compute. With one write in
 * flight every write is computed on exactly the state the coordinator holds, so no write can land on top of one that
 * failed, and a write may be sent again when its answer is lost. An answer is given once its write is durable.
 *
 * <p>When the leader closes, what waits is either run on a fresh leader (which reads the state again: after a
 * fenced state epoch, an unknown write outcome, or a new leader epoch on this broker) or answered
 * NOT_LEADER_OR_FOLLOWER (this broker no longer leads the partition); the operation whose write had an unknown
 * outcome fails.
 *
 * <p>Soft state besides the log: one timer for the next lock deadline or due time (rearmed at load, so locks taken
 * under an earlier leader run out when they would have), and dead-letter copies in flight (written again at load for
 * records still ARCHIVING, so a copy is written at least once).
 *
 * <p>Threads: everything runs on the leader's serial executor; {@link #submit} may be called from any thread.
 */
final class SharePartitionLeader {

    private static final Logger log = LoggerFactory.getLogger(SharePartitionLeader.class);

    /** How long a dead-letter copy that could not be written yet waits before it is tried again. */
    static final long DEAD_LETTER_RETRY_MS = 1_000;

    enum State {
        LOADING,
        ACTIVE,
        CLOSED;

        boolean canMoveTo(State next) {
            return switch (this) {
                case LOADING -> next == ACTIVE || next == CLOSED;
                case ACTIVE -> next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    /** One queued operation and its answer. */
    record Pending<T>(ShareOperation<T> operation, CompletableFuture<T> answer) {

        void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }

    private final SharePartitionKey key;
    private final SharePartitionManager manager;
    private final SerialExecutor serial;
    private final Deque<Pending<?>> queue = new ArrayDeque<>();

    private State state = State.LOADING;
    private SharePartition partition;
    private int stateEpoch;
    private int leaderEpoch;
    private boolean writing;
    private boolean triedToCreate;
    private CoordinatorTimer.Scheduled timer;
    /** The members holding records, for readers on other threads. */
    private volatile Set<String> holders = Set.of();

    SharePartitionLeader(SharePartitionKey key, SharePartitionManager manager) {
        this.key = key;
        this.manager = manager;
        this.serial = new SerialExecutor(manager.pool());
    }

    /** Starts reading the state; operations submitted before run once it is read. */
    void start() {
        serial.execute(this::load);
    }

    SharePartitionKey key() {
        return key;
    }

    /** The members that hold records of this share-partition now; read from any thread. */
    Set<String> holders() {
        return holders;
    }

    /** The share-partition, for tests on the leader's thread: null while it is not loaded. */
    SharePartition partition() {
        return partition;
    }

    /** Queues an operation; its answer completes once its changes are durable. */
    <T> void submit(Pending<T> pending) {
        serial.execute(() -> {
            if (state == State.CLOSED) {
                manager.resubmit(key, pending);
                return;
            }
            queue.add(pending);
            drain();
        });
    }

    /** Closes the leader unless this broker still leads its data partition in the epoch it loaded in. */
    void checkLeadership() {
        serial.execute(() -> {
            if (state != State.ACTIVE) {
                return;
            }
            Optional<ShareLog.Bounds> bounds = bounds();
            if (bounds.isEmpty()) {
                close(notLeader("this broker no longer leads it"), false);
            } else if (bounds.get().leaderEpoch() != leaderEpoch) {
                close(notLeader("its leader epoch moved"), true);
            }
        });
    }

    /** Closes the leader if nothing is in flight, queued or held, so that its next use reads the state again. */
    void evictIfIdle() {
        serial.execute(() -> {
            if (state == State.ACTIVE && !writing && queue.isEmpty() && !partition.holdsRecords()) {
                close(notLeader("evicted"), false);
            }
        });
    }

    /** Closes the leader: what waits is answered NOT_LEADER_OR_FOLLOWER. */
    void shutDown() {
        serial.execute(() -> close(notLeader("this broker stopped leading it"), false));
    }

    // ---- loading

    private Optional<ShareLog.Bounds> bounds() {
        return manager.log().bounds(key.topicId(), key.partition(), config().readCommitted());
    }

    private ShareGroupConfig config() {
        return manager.configs().of(key.groupId());
    }

    private void load() {
        Optional<ShareLog.Bounds> bounds = bounds();
        if (bounds.isEmpty()) {
            close(notLeader("this broker does not lead it"), false);
            return;
        }
        leaderEpoch = bounds.get().leaderEpoch();
        manager.persister()
                .read(key, leaderEpoch)
                .whenComplete((read, failure) -> serial.execute(() -> loaded(read, failure, bounds.get())));
    }

    private void loaded(Optional<PersistedShareState> read, Throwable failure, ShareLog.Bounds bounds) {
        if (state == State.CLOSED) {
            return;
        }
        if (failure != null) {
            Throwable cause = unwrap(failure);
            boolean fenced = cause instanceof ShareStateException e && e.error() == Errors.FENCED_LEADER_EPOCH;
            close(fenced ? notLeader("a later leader took it on") : cause, false);
            return;
        }
        if (read.isEmpty()) {
            if (!triedToCreate && queue.stream().anyMatch(p -> p.operation().createsPartition())) {
                triedToCreate = true;
                long start = startOffset(bounds, config().offsetReset());
                manager.persister()
                        .initialize(key, 0, start)
                        .thenCompose(created -> manager.persister().read(key, leaderEpoch))
                        .whenComplete((again, error) -> serial.execute(() -> loaded(again, error, bounds)));
                return;
            }
            // Nothing to load and nothing that creates it: each operation gets its answer for no share-partition.
            long now = manager.clock().nowMs();
            while (!queue.isEmpty()) {
                answerWithoutState(queue.poll(), bounds, now);
            }
            close(notLeader("it does not exist"), false);
            return;
        }
        PersistedShareState loaded = read.get();
        stateEpoch = loaded.stateEpoch();
        partition = new SharePartition(key, loaded.startOffset());
        partition.replace(loaded.startOffset(), loaded.runs());
        moveTo(State.ACTIVE);
        holders = Set.copyOf(partition.holders());
        schedule();
        List<DeadLetters.Letter> pending = partition.archiving();
        if (!pending.isEmpty()) {
            writeDeadLetters(pending);
        }
        drain();
    }

    private <T> void answerWithoutState(Pending<T> pending, ShareLog.Bounds bounds, long now) {
        try {
            pending.answer()
                    .complete(pending.operation()
                            .compute(null, manager.log(), bounds, now, config())
                            .answer());
        } catch (RuntimeException e) {
            pending.fail(e);
        }
    }

    /** Where a new share-partition starts: {@code share.auto.offset.reset} applied to the log now. */
    private long startOffset(ShareLog.Bounds bounds, OffsetReset reset) {
        long since = reset.kind() == OffsetReset.Kind.BY_DURATION
                ? manager.log()
                        .offsetForTimestamp(
                                key.topicId(),
                                key.partition(),
                                reset.sinceMs(manager.clock().nowMs()))
                : -1;
        return reset.startOffset(bounds.logStartOffset(), bounds.highWatermark(), since);
    }

    // ---- operations

    private void drain() {
        while (state == State.ACTIVE && !writing && !queue.isEmpty()) {
            Optional<ShareLog.Bounds> bounds = bounds();
            if (bounds.isEmpty()) {
                close(notLeader("this broker no longer leads it"), false);
                return;
            }
            if (bounds.get().leaderEpoch() != leaderEpoch) {
                close(notLeader("its leader epoch moved"), true);
                return;
            }
            run(queue.poll(), bounds.get());
        }
    }

    private <T> void run(Pending<T> pending, ShareLog.Bounds bounds) {
        ShareOperation.Step<T> step;
        try {
            step = pending.operation()
                    .compute(partition, manager.log(), bounds, manager.clock().nowMs(), config());
        } catch (RuntimeException e) {
            pending.fail(e);
            return;
        }
        Plan plan = step.plan();
        if (plan.isEmpty()) {
            afterDurable(step);
            pending.answer().complete(step.answer());
            return;
        }
        writing = true;
        ShareStateWrite write = new ShareStateWrite(stateEpoch, leaderEpoch, plan.newStart(), plan.runs());
        manager.persister()
                .write(key, write)
                .whenComplete((ok, failure) -> serial.execute(() -> written(pending, step, failure)));
    }

    private <T> void written(Pending<T> pending, ShareOperation.Step<T> step, Throwable failure) {
        writing = false;
        if (state == State.CLOSED) {
            pending.fail(notLeader("it moved while its write was in flight"));
            return;
        }
        if (failure != null) {
            Throwable cause = unwrap(failure);
            if (cause instanceof ShareStateException e && e.error() == Errors.FENCED_STATE_EPOCH) {
                // Refused before anything was written: the operation runs again on the state as it now is.
                queue.addFirst(pending);
                close(notLeader("its state was reset"), true);
            } else if (cause instanceof ShareStateException e && e.error() == Errors.FENCED_LEADER_EPOCH) {
                pending.fail(notLeader("a later leader took it on"));
                close(notLeader("a later leader took it on"), false);
            } else {
                log.warn("{}: a share-state write failed, reading the state again: {}", key, cause.toString());
                pending.fail(cause);
                close(cause, true);
            }
            return;
        }
        Plan plan = step.plan();
        partition.update(plan.newStart(), plan.runs());
        afterDurable(step);
        pending.answer().complete(step.answer());
        drain();
    }

    /** Once a plan is durable (or was empty): rearm the timer, write dead letters, wake waiting fetches. */
    private void afterDurable(ShareOperation.Step<?> step) {
        Plan plan = step.plan();
        holders = Set.copyOf(partition.holders());
        schedule();
        List<DeadLetters.Letter> letters = plan.deadLetters();
        if (!letters.isEmpty()) {
            writeDeadLetters(letters);
        }
        if (step.wakes() || plan.releasesAny()) {
            manager.wake(key);
        }
    }

    private void schedule() {
        cancelTimer();
        long now = manager.clock().nowMs();
        long deadline = partition.nextDeadline(now);
        if (deadline >= 0) {
            timer = manager.timer().schedule(Math.max(0, deadline - now), () -> expire());
        }
    }

    private void expire() {
        submit(new Pending<>(ShareOperation.expire(), new CompletableFuture<>()));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void writeDeadLetters(List<DeadLetters.Letter> letters) {
        String topic = config().deadLetterTopic();
        CompletableFuture<Void> written = topic == null
                ? CompletableFuture.failedFuture(new DeadLetters.Refused("the group has no dead-letter topic"))
                : manager.deadLetters().write(key, topic, letters);
        written.whenComplete((ok, failure) -> {
            Throwable cause = failure == null ? null : unwrap(failure);
            if (cause != null && !(cause instanceof DeadLetters.Refused)) {
                log.info("{}: {} dead-letter copies not written yet: {}", key, letters.size(), cause.getMessage());
                manager.timer()
                        .schedule(
                                DEAD_LETTER_RETRY_MS,
                                () -> serial.execute(() -> {
                                    if (state == State.ACTIVE) {
                                        writeDeadLetters(letters);
                                    }
                                }));
                return;
            }
            if (cause != null) {
                log.warn(
                        "{}: {} records archived without a dead-letter copy: {}",
                        key,
                        letters.size(),
                        cause.getMessage());
            }
            submit(new Pending<>(ShareOperation.archived(letters), new CompletableFuture<>()));
        });
    }

    // ---- closing

    private static ShareStateException notLeader(String why) {
        return new ShareStateException(Errors.NOT_LEADER_OR_FOLLOWER, why);
    }

    /**
     * Stops the leader. With {@code again}, what waits runs on a fresh leader (which reads the state again);
     * otherwise it fails with {@code failure}.
     */
    private void close(Throwable failure, boolean again) {
        if (state == State.CLOSED) {
            return;
        }
        moveTo(State.CLOSED);
        cancelTimer();
        manager.remove(this);
        List<Pending<?>> waiting = new ArrayList<>(queue);
        queue.clear();
        for (Pending<?> pending : waiting) {
            if (again) {
                manager.resubmit(key, pending);
            } else {
                pending.fail(failure);
            }
        }
    }

    private void moveTo(State next) {
        Invariants.check(
                state.canMoveTo(next), "%s: a share-partition leader cannot move from %s to %s", key, state, next);
        state = next;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
