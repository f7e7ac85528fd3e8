package io.wharf.server.handler;

import org.apache.kafka.common.protocol.Errors;

/** The check of a client's idea of the leader epoch against the partition's, shared by the data-plane APIs. */
final class LeaderEpochs {

    private static final int NO_EPOCH = -1;

    private LeaderEpochs() {}

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
