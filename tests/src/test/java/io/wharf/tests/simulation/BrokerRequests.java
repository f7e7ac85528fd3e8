package io.wharf.tests.simulation;

import io.wharf.common.TopicPartition;
import io.wharf.replication.FollowerRead;
import io.wharf.replication.LeaderClient;
import io.wharf.replication.PartitionReplica;
import io.wharf.replication.ReplicaError;
import io.wharf.replication.ReplicaException;
import io.wharf.storage.AppendResult;
import io.wharf.storage.LogException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The data-plane requests a simulated broker serves, as the broker's handlers do: an {@code acks=all} produce as
 * {@code ProduceHandler} answers it (the partition led here and the lease held, enough in-sync replicas before the
 * append and after the commit, a timeout), and a follower's fetch as {@code FollowerFetches} serves it (the follower
 * registered with the epoch it sends; a fetch with nothing new held until an append or the longest wait).
 */
final class BrokerRequests {

    /** The answer to a produce: {@code error} null when acknowledged. */
    record ProduceAnswer(String error, long baseOffset) {}

    private final SimulatedBroker broker;

    BrokerRequests(SimulatedBroker broker) {
        this.broker = broker;
    }

    /** An acks=all produce of one batch, whose records' identities ({@link LogContents#identity}) are given. */
    void serveProduce(TopicPartition tp, ByteBuffer batch, List<String> identities, Consumer<ProduceAnswer> reply) {
        PartitionReplica replica = broker.replicas().get(tp);
        if (replica == null || !replica.isLeader() || !broker.hasLease()) {
            if (replica != null && replica.isLeader()) {
                broker.sim().count("writes refused for want of a lease");
            }
            reply.accept(new ProduceAnswer(ReplicaError.NOT_LEADER_OR_FOLLOWER.name(), -1));
            return;
        }
        int minInsync = replica.minInsyncReplicas();
        if (replica.assignment().isr().size() < minInsync) {
            reply.accept(new ProduceAnswer(ReplicaError.NOT_ENOUGH_REPLICAS.name(), -1));
            return;
        }
        int epoch = replica.leaderEpoch();
        AppendResult result;
        try {
            result = replica.appendAsLeader(batch);
        } catch (LogException | ReplicaException e) {
            reply.accept(new ProduceAnswer(e.getMessage(), -1));
            return;
        }
        broker.cluster().checker().appendedAsLeader(tp, epoch, broker);
        broker.sim()
                .note(broker.name() + " appends " + identities + " to " + tp + " at " + result.firstOffset()
                        + " in epoch " + epoch);
        if (!replica.acksWaitForCommit()) {
            acknowledge(tp, replica, result, identities, reply);
            return;
        }
        boolean[] answered = {false};
        replica.awaitCommitted(result.lastOffset() + 1).whenComplete((ok, failure) -> {
            if (!broker.alive() || answered[0]) {
                return;
            }
            answered[0] = true;
            if (failure != null) {
                reply.accept(new ProduceAnswer(failure.getMessage(), -1));
            } else if (replica.assignment().isr().size() < minInsync) {
                reply.accept(new ProduceAnswer(ReplicaError.NOT_ENOUGH_REPLICAS_AFTER_APPEND.name(), -1));
            } else {
                acknowledge(tp, replica, result, identities, reply);
            }
        });
        broker.sim().after(SimulationSettings.PRODUCE_TIMEOUT_MS, broker.name() + " produce timeout", () -> {
            if (broker.alive() && !answered[0]) {
                answered[0] = true;
                reply.accept(new ProduceAnswer(ReplicaError.REQUEST_TIMED_OUT.name(), -1));
            }
        });
    }

    private void acknowledge(
            TopicPartition tp,
            PartitionReplica replica,
            AppendResult result,
            List<String> identities,
            Consumer<ProduceAnswer> reply) {
        if (result.lastOffset() - result.firstOffset() + 1 != identities.size()) {
            throw new SimulationFailure("a batch of " + identities.size() + " records was appended at offsets "
                    + result.firstOffset() + ".." + result.lastOffset());
        }
        broker.sim()
                .note(broker.name() + " acknowledges " + tp + " " + result.firstOffset() + ".." + result.lastOffset()
                        + " with ISR " + replica.assignment().isr());
        broker.cluster()
                .checker()
                .acknowledged(
                        tp,
                        result.firstOffset(),
                        identities,
                        replica,
                        broker.cluster().controller().image(),
                        broker.cluster()::liveBroker);
        reply.accept(new ProduceAnswer(null, result.firstOffset()));
    }

    /** A follower's fetch of one partition; {@code reply} gets null when the follower is not registered so. */
    void serveFollowerFetch(
            int replicaId, long replicaEpoch, LeaderClient.Wanted wanted, Consumer<LeaderClient.Fetched> reply) {
        boolean registered = broker.image()
                .broker(replicaId)
                .filter(b -> replicaEpoch < 0 || b.epoch() == replicaEpoch)
                .isPresent();
        if (!registered) {
            reply.accept(null);
            return;
        }
        LeaderClient.Fetched first = read(replicaId, wanted);
        PartitionReplica replica = broker.replicas().get(wanted.topicPartition());
        boolean hasData = first.records() != null && first.records().hasRemaining();
        if (hasData
                || first.error() != ReplicaError.NONE
                || first.divergingEpoch() >= 0
                || SimulationSettings.FETCH_WAIT_MAX_MS <= 0
                || replica == null) {
            reply.accept(first);
            return;
        }
        new Waiting(replicaId, wanted, replica, reply).start();
    }

    private LeaderClient.Fetched read(int replicaId, LeaderClient.Wanted wanted) {
        TopicPartition tp = wanted.topicPartition();
        PartitionReplica replica = broker.replicas().get(tp);
        if (replica == null) {
            return new LeaderClient.Fetched(tp, ReplicaError.NOT_LEADER_OR_FOLLOWER, -1, -1, null, -1, -1);
        }
        FollowerRead read = replica.readForFollower(
                replicaId,
                wanted.fetchOffset(),
                wanted.lastFetchedEpoch(),
                wanted.currentLeaderEpoch(),
                Math.max(1, wanted.maxBytes()));
        ByteBuffer records = read.slice().isEmpty() ? null : read.slice().readFully();
        return new LeaderClient.Fetched(
                tp,
                read.error(),
                read.highWatermark(),
                read.logStartOffset(),
                records,
                read.divergingEpoch(),
                read.divergingEndOffset());
    }

    /** A follower's fetch with nothing new: read again on an append (a request-thread hop later) or at the wait's end. */
    private final class Waiting implements Runnable {
        private final int replicaId;
        private final LeaderClient.Wanted wanted;
        private final PartitionReplica replica;
        private final Consumer<LeaderClient.Fetched> reply;
        private boolean done;
        private boolean recheckQueued;

        Waiting(
                int replicaId,
                LeaderClient.Wanted wanted,
                PartitionReplica replica,
                Consumer<LeaderClient.Fetched> reply) {
            this.replicaId = replicaId;
            this.wanted = wanted;
            this.replica = replica;
            this.reply = reply;
        }

        void start() {
            replica.watchLogEnd(this);
            broker.sim().after(SimulationSettings.FETCH_WAIT_MAX_MS, broker.name() + " fetch wait ends", this::finish);
        }

        @Override
        public void run() {
            if (done || recheckQueued) {
                return;
            }
            recheckQueued = true;
            broker.sim().after(0, broker.name() + " fetch recheck", () -> {
                recheckQueued = false;
                if (!replica.isLeader() || replica.log().logEndOffset() > wanted.fetchOffset()) {
                    finish();
                }
            });
        }

        private void finish() {
            if (done || !broker.alive()) {
                return;
            }
            done = true;
            replica.unwatchLogEnd(this);
            reply.accept(read(replicaId, wanted));
        }
    }
}
