package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import java.util.Optional;
import org.apache.kafka.common.protocol.Errors;

/**
 * Which partition a data-plane request (produce, fetch, list offsets, ...) may act on: one this broker leads, at the
 * leader epoch the client believes in. Shared so that every API gives the same error for the same situation.
 */
final class LeaderEpochs {

    /** What a client sends when it does not know, or the API carries no, leader epoch. */
    static final int NO_EPOCH = -1;

    /** The partition to act on, or why there is none ({@code partition} is null exactly when {@code error} is not NONE). */
    record Led(PartitionReplica partition, Errors error) {}

    private LeaderEpochs() {}

    /**
     * The partition {@code tp} if this broker leads it, has heard from the controller within its session (a broker cut
     * off from the quorum stops acting as leader before the controller can have moved its leaderships) and {@code
     * clientEpoch} passes {@link #check}; otherwise
     * UNKNOWN_TOPIC_OR_PARTITION when no such partition exists, NOT_LEADER_OR_FOLLOWER when it is led elsewhere, or
     * the epoch error.
     */
    static Led find(BrokerServices services, TopicPartition tp, int clientEpoch) {
        return find(services, tp, clientEpoch, false);
    }

    /**
     * {@link #find}, also taking a follower here: what a consumer may read from (KIP-392's fetch from a follower,
     * which serves up to its own high watermark).
     */
    static Led findReadable(BrokerServices services, TopicPartition tp, int clientEpoch) {
        return find(services, tp, clientEpoch, true);
    }

    private static Led find(BrokerServices services, TopicPartition tp, int clientEpoch, boolean followerToo) {
        Optional<PartitionReplica> hosted = services.replicas().partition(tp);
        boolean serves = hosted.isPresent()
                && (hosted.get().isLeader() || (followerToo && hosted.get().isFollower()));
        if (!serves || !services.lifecycle().hasLease()) {
            boolean exists = services.replicas()
                    .image()
                    .topic(tp.topic())
                    .map(topic -> topic.partitions().containsKey(tp.partition()))
                    .orElse(false);
            return new Led(null, exists ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        Errors epochError = check(clientEpoch, hosted.get().leaderEpoch());
        return epochError == Errors.NONE ? new Led(hosted.get(), Errors.NONE) : new Led(null, epochError);
    }

    /**
     * NONE when the client gave no epoch or the right one; FENCED_LEADER_EPOCH when the client's is older (it must
     * refresh metadata); UNKNOWN_LEADER_EPOCH when it is newer than this broker knows (this broker is behind).
     */
    static Errors check(int clientEpoch, int partitionEpoch) {
        if (clientEpoch == NO_EPOCH || clientEpoch == partitionEpoch) {
            return Errors.NONE;
        }
        return clientEpoch < partitionEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }
}
