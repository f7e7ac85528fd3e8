package io.wharf.tests.simulation;

import io.wharf.replication.LeaderClient;
import io.wharf.replication.PartitionReplica;
import io.wharf.replication.ReplicaException;
import io.wharf.storage.LogException;
import io.wharf.storage.PartitionLog;
import java.util.concurrent.CompletableFuture;

/**
 * The fetch loop of one followed partition, step for step what {@code ReplicaFetcher} does for each of its
 * partitions, with its blocking waits turned into events: fsync the log end first if it is not on disk (under
 * acks-all); fetch from the log end with the last epoch and the leader epoch known when the partition was added; truncate where the leader says the logs diverged, or append what came;
 * wait for the fsync of what was appended (under acks-all); then take the leader's high watermark and fetch again.
 * A refused fetch waits the fetch backoff; a fetch that gets no answer in time, or whose leader refuses the whole
 * request, waits the backoff too.
 *
 * <p>Being added again (a new leader epoch, same leader) replaces what the loop fetches with, and an answer to a
 * fetch sent before is ignored, as the real fetcher ignores answers for partitions re-added during a round.
 */
final class FollowerFetcher {

    private final SimulatedBroker broker;
    final int leaderId;
    private PartitionReplica replica;
    private int leaderEpoch;
    /** Moves on every add: an answer to a fetch sent in an earlier generation is disregarded. */
    private int generation;
    /** Moves on every wake-up scheduled: only the latest one runs, as one fetcher thread waits at a time. */
    private int wakeUp;
    /** A fetch was sent and its round (answer, append, fsync) is not over. */
    private boolean inRound;

    private long delayedUntilMs;
    private boolean stopped;

    FollowerFetcher(SimulatedBroker broker, PartitionReplica replica) {
        this.broker = broker;
        this.leaderId = replica.assignment().leader();
        add(replica);
    }

    /** Fetches {@code replica} with its current leader epoch from now on; an answer in flight is disregarded. */
    void add(PartitionReplica added) {
        this.replica = added;
        this.leaderEpoch = added.leaderEpoch();
        this.delayedUntilMs = 0;
        generation++;
        if (!inRound) {
            wake(0);
        }
    }

    void stop() {
        stopped = true;
        wakeUp++;
    }

    private boolean running() {
        return !stopped && broker.alive();
    }

    private void wake(long delayMs) {
        int token = ++wakeUp;
        broker.sim().after(delayMs, "fetch " + replica.topicPartition() + " on " + broker.name(), () -> {
            if (token == wakeUp && running()) {
                fetchOnce();
            }
        });
    }

    /** The round is over: fetch again after {@code delayMs}. */
    private void endRound(long delayMs) {
        inRound = false;
        if (running()) {
            wake(delayMs);
        }
    }

    private void fetchOnce() {
        if (delayedUntilMs > broker.sim().nowMs() || !replica.isFollower()) {
            wake(SimulationSettings.FETCH_BACKOFF_MS);
            return;
        }
        PartitionLog log = replica.log();
        if (!log.config().exposesUnflushed() && log.durableOffset() < log.logEndOffset()) {
            // As the real fetcher: a log end that is not on disk yet (written under another leader's fetcher, or
            // while leading) is fsynced before it is sent as this follower's position.
            broker.sim().count("fetches that waited for an fsync first");
            inRound = true;
            log.flush(log.logEndOffset())
                    .whenComplete((ok, failure) -> endRound(failure == null ? 0 : SimulationSettings.FETCH_BACKOFF_MS));
            return;
        }
        LeaderClient.Wanted wanted = new LeaderClient.Wanted(
                replica.topicPartition(),
                replica.topicId(),
                replica.log().logEndOffset(),
                replica.lastEpoch(),
                leaderEpoch,
                replica.log().logStartOffset(),
                SimulationSettings.FETCH_MAX_BYTES);
        int sent = generation;
        inRound = true;
        broker.fetchFrom(
                leaderId,
                wanted,
                answer -> {
                    if (!running()) {
                        inRound = false;
                    } else if (sent != generation || !replica.isFollower()) {
                        endRound(0);
                    } else {
                        onAnswer(answer);
                    }
                },
                () -> endRound(SimulationSettings.FETCH_BACKOFF_MS));
    }

    /** One partition's answer, as {@code ReplicaFetcher.handle}; null when the leader refused the whole fetch. */
    private void onAnswer(LeaderClient.Fetched answer) {
        if (answer == null) {
            endRound(SimulationSettings.FETCH_BACKOFF_MS);
            return;
        }
        switch (answer.error()) {
            case NONE -> {
                if (answer.divergingEpoch() >= 0) {
                    replica.truncateToDivergence(answer.divergingEpoch(), answer.divergingEndOffset());
                    broker.truncated(replica);
                    endRound(0);
                    return;
                }
                if (answer.records() != null && answer.records().hasRemaining()) {
                    try {
                        replica.appendAsFollower(answer.records());
                    } catch (LogException | ReplicaException e) {
                        broker.sim()
                                .note(broker.name() + " cannot append to " + replica.topicPartition() + ": "
                                        + e.getMessage());
                        delay();
                        endRound(0);
                        return;
                    }
                }
                afterAppend(answer);
            }
            case OFFSET_OUT_OF_RANGE -> {
                outOfRange(answer);
                endRound(0);
            }
            default -> {
                delay();
                endRound(0);
            }
        }
    }

    /** Waits for the fsync of what was appended (acks-all), then takes the leader's watermark; the round ends. */
    private void afterAppend(LeaderClient.Fetched answer) {
        PartitionReplica fetched = replica;
        CompletableFuture<Void> flushed = fetched.log().config().exposesUnflushed()
                ? CompletableFuture.completedFuture(null)
                : fetched.log().flush(fetched.log().logEndOffset());
        flushed.whenComplete((ok, failure) -> {
            if (!running()) {
                inRound = false;
                return;
            }
            if (failure != null) {
                broker.sim().note(broker.name() + ": an fsync of fetched records failed: " + failure);
            }
            fetched.followLeaderHighWatermark(answer.highWatermark());
            endRound(0);
        });
    }

    private void outOfRange(LeaderClient.Fetched answer) {
        long end = replica.log().logEndOffset();
        if (answer.highWatermark() >= 0 && end > answer.highWatermark()) {
            replica.truncateTo(answer.highWatermark());
            broker.truncated(replica);
        } else if (answer.logStartOffset() > end) {
            replica.startOver(answer.logStartOffset());
            broker.truncated(replica);
            delay();
        } else {
            delay();
        }
    }

    private void delay() {
        delayedUntilMs = broker.sim().nowMs() + SimulationSettings.FETCH_BACKOFF_MS;
    }
}
