package io.wharf.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Carries a leader's ISR change to the controller (AlterPartition). The metadata then tells every replica; the
 * future only says whether the controller took the change.
 */
@FunctionalInterface
public interface IsrChannel {

    /**
     * @param leaderEpoch the leader epoch the change is made in
     * @param partitionEpoch the partition epoch the change starts from: the controller refuses it if the partition
     *     has changed since
     */
    CompletableFuture<Void> alterIsr(PartitionReplica replica, int leaderEpoch, int partitionEpoch, List<Integer> isr);

    /** Takes no change: for a partition that can only ever have one replica. */
    IsrChannel NONE = (replica, leaderEpoch, partitionEpoch, isr) ->
            CompletableFuture.failedFuture(new IllegalStateException("ISR changes are not sent here"));
}
