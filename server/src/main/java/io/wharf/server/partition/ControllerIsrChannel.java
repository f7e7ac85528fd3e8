package io.wharf.server.partition;

import io.wharf.common.TopicId;
import io.wharf.common.timer.DelayTimer;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.IsrChange;
import io.wharf.metadata.controller.IsrResult;
import io.wharf.replication.IsrChannel;
import io.wharf.replication.PartitionReplica;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this broker's ISR changes to the active controller in batches, as Kafka's AlterPartitionManager does: at most
 * one batch is in flight; the changes that come meanwhile wait in a queue that holds one change per partition (a newer
 * change of a partition replaces the one waiting, and the older caller is answered with the newer change's outcome);
 * when the batch is answered, the queue goes as the next one. Each partition is answered on its own: its future
 * completes once the controller took the change (and, through a {@code LocalViewController}, this broker's metadata
 * shows it), or fails with the controller's reason.
 *
 * <p>A batch that got no answer (the controller moved, timed out, or is unreachable) goes back to the head of the
 * queue and is sent again after a backoff, {@value #BACKOFF_MIN_MS} ms doubling to {@value #BACKOFF_MAX_MS} ms, on
 * the {@link DelayTimer}; an answer resets it. Without this, a restarted broker's thousand leaders each sent their
 * own change and each re-sent it as soon as it failed, and the controller, overloaded, failed ever more of them.
 *
 * <p>The queue holds at most one change per partition led here, so it is bounded by the partitions of this broker;
 * a batch holds at most {@link #BATCH_PARTITIONS_MAX} of them. Closing fails every change not yet answered and stops
 * the retries.
 *
 * <p>Thread-safe: callers on any thread; answers complete on the thread that completes the controller's future, or
 * the timer's; no lock is held while a future completes or a batch is sent.
 */
public final class ControllerIsrChannel implements IsrChannel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerIsrChannel.class);

    static final long BACKOFF_MIN_MS = 50;
    static final long BACKOFF_MAX_MS = 2_000;
    static final int BATCH_PARTITIONS_MAX = 1_000;

    private record PartitionKey(TopicId topicId, int partition) {}

    /** A partition's change waiting or in flight, and every caller its outcome answers. */
    private record Pending(
            TopicId topicId,
            int partition,
            int leaderEpoch,
            int partitionEpoch,
            List<Integer> isr,
            List<CompletableFuture<Void>> callers) {}

    private final Function<List<IsrChange>, CompletableFuture<Controller.Committed<List<IsrResult>>>> controller;
    private final int brokerId;
    private final LongSupplier brokerEpoch;
    private final DelayTimer timer;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the changes waiting for the next batch, oldest partition first. */
    private LinkedHashMap<PartitionKey, Pending> queued = new LinkedHashMap<>();
    /** Guarded by {@link #lock}: the batch sent and not yet answered; null when none is. */
    private Map<PartitionKey, Pending> inFlight;
    /** Guarded by {@link #lock}: the retry scheduled after a failed batch; null when none is. */
    private DelayTimer.Scheduled retry;
    /** Guarded by {@link #lock}. */
    private long backoffMs = BACKOFF_MIN_MS;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** Guarded by {@link #lock}: batches sent, for tests. */
    private long batchesSent;

    /**
     * @param controller sends one batch to the controller ({@link Controller#alterIsrs})
     * @param brokerEpoch this broker's registration epoch, read as each batch is sent
     * @param timer where the retries after a failed batch wait
     */
    public ControllerIsrChannel(
            Function<List<IsrChange>, CompletableFuture<Controller.Committed<List<IsrResult>>>> controller,
            int brokerId,
            LongSupplier brokerEpoch,
            DelayTimer timer) {
        this.controller = controller;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.timer = timer;
    }

    @Override
    public CompletableFuture<Void> alterIsr(
            PartitionReplica replica, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        return alterIsr(replica.topicId(), replica.topicPartition().partition(), leaderEpoch, partitionEpoch, isr);
    }

    /** {@link #alterIsr(PartitionReplica, int, int, List)} of partition {@code partition} of topic {@code topicId}. */
    CompletableFuture<Void> alterIsr(
            TopicId topicId, int partition, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        PartitionKey key = new PartitionKey(topicId, partition);
        List<Pending> batch;
        synchronized (lock) {
            if (closed) {
                answer.completeExceptionally(new IllegalStateException("the ISR channel is closed"));
                return answer;
            }
            List<CompletableFuture<Void>> callers = new ArrayList<>();
            Pending older = queued.remove(key);
            if (older != null) {
                callers.addAll(older.callers());
            }
            callers.add(answer);
            queued.put(key, new Pending(topicId, partition, leaderEpoch, partitionEpoch, List.copyOf(isr), callers));
            batch = nextBatch();
        }
        send(batch);
        return answer;
    }

    /** Takes the next batch off the queue when none is in flight or waiting to be retried; under the lock. */
    private List<Pending> nextBatch() {
        if (closed || inFlight != null || retry != null || queued.isEmpty()) {
            return null;
        }
        inFlight = new LinkedHashMap<>();
        for (Iterator<Map.Entry<PartitionKey, Pending>> it = queued.entrySet().iterator();
                it.hasNext() && inFlight.size() < BATCH_PARTITIONS_MAX; ) {
            Map.Entry<PartitionKey, Pending> entry = it.next();
            inFlight.put(entry.getKey(), entry.getValue());
            it.remove();
        }
        batchesSent++;
        return List.copyOf(inFlight.values());
    }

    private void send(List<Pending> batch) {
        if (batch == null) {
            return;
        }
        long epoch = brokerEpoch.getAsLong();
        List<IsrChange> changes = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            changes.add(new IsrChange(
                    brokerId, epoch, p.topicId(), p.partition(), p.leaderEpoch(), p.partitionEpoch(), p.isr()));
        }
        CompletableFuture<Controller.Committed<List<IsrResult>>> sent;
        try {
            sent = controller.apply(changes);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((committed, failure) -> {
            if (failure != null) {
                onFailed(failure);
            } else {
                onAnswered(committed.result());
            }
        });
    }

    private void onAnswered(List<IsrResult> results) {
        Map<PartitionKey, Pending> answered;
        List<Pending> next;
        synchronized (lock) {
            answered = inFlight;
            inFlight = null;
            backoffMs = BACKOFF_MIN_MS;
            next = nextBatch();
        }
        if (answered != null) {
            Map<PartitionKey, IsrResult> byPartition = new HashMap<>();
            for (IsrResult r : results) {
                byPartition.put(new PartitionKey(r.topicId(), r.partition()), r);
            }
            answered.forEach((key, pending) -> {
                IsrResult result = byPartition.get(key);
                if (result == null) {
                    fail(pending, new IllegalStateException("the controller did not answer for " + key));
                } else if (result.isSuccess()) {
                    pending.callers().forEach(c -> c.complete(null));
                } else {
                    fail(pending, new IllegalStateException(result.error() + ": " + result.message()));
                }
            });
        }
        send(next);
    }

    /** The batch got no answer: it goes back in front of the queue, where newer changes replace its own. */
    private void onFailed(Throwable failure) {
        synchronized (lock) {
            Map<PartitionKey, Pending> failed = inFlight;
            inFlight = null;
            if (closed || failed == null) {
                return;
            }
            LinkedHashMap<PartitionKey, Pending> merged = new LinkedHashMap<>(failed);
            queued.forEach((key, newer) -> {
                Pending older = merged.remove(key);
                if (older == null) {
                    merged.put(key, newer);
                } else {
                    List<CompletableFuture<Void>> callers = new ArrayList<>(older.callers());
                    callers.addAll(newer.callers());
                    merged.put(key, withCallers(newer, callers));
                }
            });
            queued = merged;
            long delay = backoffMs;
            backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
            log.debug("Sending {} ISR changes failed; again in {} ms", failed.size(), delay, failure);
            retry = timer.schedule(delay, this::retryNow);
        }
    }

    private void retryNow() {
        List<Pending> batch;
        synchronized (lock) {
            retry = null;
            batch = nextBatch();
        }
        send(batch);
    }

    private static Pending withCallers(Pending p, List<CompletableFuture<Void>> callers) {
        return new Pending(p.topicId(), p.partition(), p.leaderEpoch(), p.partitionEpoch(), p.isr(), callers);
    }

    private static void fail(Pending pending, Throwable failure) {
        pending.callers().forEach(c -> c.completeExceptionally(failure));
    }

    /** Batches sent so far, retries included. */
    long batchesSent() {
        synchronized (lock) {
            return batchesSent;
        }
    }

    /** Fails every change not yet answered, and stops the retries; a batch in flight is answered no more. */
    @Override
    public void close() {
        List<Pending> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
            abandoned.addAll(queued.values());
            queued.clear();
            if (inFlight != null) {
                abandoned.addAll(inFlight.values());
                inFlight = null;
            }
        }
        IllegalStateException failure = new IllegalStateException("the ISR channel is closed");
        abandoned.forEach(p -> fail(p, failure));
    }
}
