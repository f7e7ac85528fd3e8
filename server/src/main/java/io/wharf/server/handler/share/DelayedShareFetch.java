package io.wharf.server.handler.share;

import io.wharf.common.TopicPartition;
import io.wharf.common.timer.DelayTimer;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.SharePartitionManager;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import io.wharf.server.share.ShareRounds;
import io.wharf.server.share.ShareSessions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A share fetch that found nothing to acquire and waits up to its {@code MaxWaitMs}. It tries again (acquisition
 * only: its acknowledgements were applied by the first round) whenever a watched partition's high watermark moves or
 * records of its share-partitions become available again, and answers with the first round that acquires something,
 * or an empty round at the deadline.
 *
 * <p>Rounds never overlap, and the deadline never cuts one short: records a round acquired are always sent, never
 * left locked to a response that was already given.
 *
 * <pre>
 * WAITING ──woken──▶ ROUND ──nothing acquired──▶ WAITING
 *    │                 │ ──acquired, or deadline passed──▶ DONE
 *    └──deadline──────────────────────────────────────────▶ DONE
 * </pre>
 */
final class DelayedShareFetch implements Runnable {

    private enum State {
        WAITING,
        ROUND,
        DONE
    }

    private final Executor requestThreads;
    private final BrokerServices services;
    private final SharePartitionManager shares;
    private final ShareRounds rounds;
    private final ShareSessions.Key key;
    private final List<ShareSessions.SessionPartition> fetchable;
    private final ShareRounds.Limits limits;
    private final List<ShareRounds.PartitionOutcome> first;
    private final CompletableFuture<List<ShareRounds.PartitionOutcome>> result = new CompletableFuture<>();
    private final List<SharePartitionKey> watchedKeys = new ArrayList<>();
    private final List<PartitionReplica> watchedPartitions = new ArrayList<>();
    private State state = State.WAITING;
    private boolean wokenDuringRound;
    private boolean deadlinePassed;
    private int rotation;
    private DelayTimer.Scheduled deadline;

    DelayedShareFetch(
            BrokerServices services,
            Executor requestThreads,
            SharePartitionManager shares,
            ShareRounds rounds,
            ShareSessions.Key key,
            List<ShareSessions.SessionPartition> fetchable,
            ShareRounds.Limits limits,
            int rotation,
            List<ShareRounds.PartitionOutcome> first) {
        this.services = services;
        this.requestThreads = requestThreads;
        this.shares = shares;
        this.rounds = rounds;
        this.key = key;
        this.fetchable = fetchable;
        this.limits = limits;
        this.rotation = rotation;
        this.first = first;
    }

    CompletableFuture<List<ShareRounds.PartitionOutcome>> start(int maxWaitMs) {
        for (ShareSessions.SessionPartition partition : fetchable) {
            SharePartitionKey shareKey =
                    new SharePartitionKey(key.groupId(), partition.topicId(), partition.partition());
            watchedKeys.add(shareKey);
            shares.watch(shareKey, this);
            hosted(partition).ifPresent(p -> {
                watchedPartitions.add(p);
                p.watchWatermark(this);
            });
        }
        deadline = services.timer().schedule(maxWaitMs, () -> requestThreads.execute(this::deadline));
        // Records may have arrived between the first round and watching.
        run();
        return result;
    }

    private Optional<PartitionReplica> hosted(ShareSessions.SessionPartition partition) {
        return services.replicas()
                .image()
                .topic(partition.topicId())
                .flatMap(t -> services.replicas().partition(new TopicPartition(t.name(), partition.partition())));
    }

    /** Something may be acquirable: start a round, or ask the one running to be followed by another. */
    @Override
    public void run() {
        synchronized (this) {
            if (state == State.ROUND) {
                wokenDuringRound = true;
                return;
            }
            if (state != State.WAITING) {
                return;
            }
            state = State.ROUND;
        }
        requestThreads.execute(this::round);
    }

    private void deadline() {
        synchronized (this) {
            deadlinePassed = true;
            if (state != State.WAITING) {
                return;
            }
            state = State.DONE;
        }
        finish(first);
    }

    private void round() {
        int turn;
        synchronized (this) {
            turn = ++rotation;
        }
        rounds.run(shares, key.groupId(), key.memberId(), Map.of(), fetchable, limits, turn)
                .whenComplete((outcomes, failure) -> {
                    boolean acquired = outcomes != null
                            && outcomes.stream().anyMatch(o -> !o.acquired().isEmpty());
                    boolean again;
                    synchronized (this) {
                        if (acquired || deadlinePassed || failure != null) {
                            state = State.DONE;
                            again = false;
                        } else {
                            again = wokenDuringRound;
                            wokenDuringRound = false;
                            state = again ? State.ROUND : State.WAITING;
                        }
                    }
                    if (again) {
                        requestThreads.execute(this::round);
                    } else if (acquired) {
                        finish(merge(outcomes));
                    } else if (failure != null || deadlinePassed) {
                        finish(first);
                    }
                });
    }

    /** The first round's acknowledgement results with a later round's acquisitions. */
    private List<ShareRounds.PartitionOutcome> merge(List<ShareRounds.PartitionOutcome> later) {
        Map<ShareSessions.SessionPartition, ShareRounds.PartitionOutcome> byPartition = new HashMap<>();
        later.forEach(o -> byPartition.put(o.partition(), o));
        List<ShareRounds.PartitionOutcome> merged = new ArrayList<>();
        for (ShareRounds.PartitionOutcome earlier : first) {
            ShareRounds.PartitionOutcome fetched = byPartition.get(earlier.partition());
            merged.add(
                    fetched == null
                            ? earlier
                            : new ShareRounds.PartitionOutcome(
                                    earlier.partition(),
                                    fetched.error(),
                                    fetched.message(),
                                    earlier.ackError(),
                                    earlier.ackMessage(),
                                    fetched.acquired(),
                                    fetched.records(),
                                    fetched.leaderId(),
                                    fetched.leaderEpoch()));
        }
        return merged;
    }

    private void finish(List<ShareRounds.PartitionOutcome> outcomes) {
        watchedKeys.forEach(k -> shares.unwatch(k, this));
        watchedPartitions.forEach(p -> p.unwatchWatermark(this));
        if (deadline != null) {
            deadline.cancel();
        }
        result.complete(outcomes);
    }
}
