package io.wharf.coordinator.txn;

import io.wharf.common.TopicPartition;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a transaction's COMMIT or ABORT markers to its partitions' leaders, wherever they are: implemented by the
 * broker (local partitions directly, others by WriteTxnMarkers). Called from a shard's thread; must not block.
 */
public interface TransactionMarkerWriter {

    /**
     * Completes once every partition has the marker (or no longer exists); keeps retrying the others until then.
     *
     * @param coordinatorEpoch the leader epoch of the coordinator's {@code __transaction_state} partition
     */
    CompletableFuture<Void> write(
            long producerId, short producerEpoch, boolean commit, int coordinatorEpoch, Set<TopicPartition> partitions);
}
