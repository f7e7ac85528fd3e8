package io.wharf.server.txn;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.replication.PartitionReplica;
import io.wharf.replication.ReplicaException;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.handler.ErrorMapping;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.storage.AppendResult;
import io.wharf.storage.LogError;
import io.wharf.storage.LogException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Ends a producer's transaction in one partition this broker leads: a COMMIT or ABORT marker appended to a data
 * partition (answered once the marker is committed, so read_committed consumers can move past it), or, for a
 * partition of {@code __consumer_offsets}, the group coordinator applying or dropping the producer's pending offsets.
 * Thread-safe.
 */
public final class MarkerAppender {

    private final ReplicaManager replicas;
    private final CoordinatorManager<GroupCoordinator> groups;
    private final Clock clock;

    public MarkerAppender(ReplicaManager replicas, CoordinatorManager<GroupCoordinator> groups, Clock clock) {
        this.replicas = replicas;
        this.groups = groups;
        this.clock = clock;
    }

    /**
     * Writes the marker.
     *
     * @return NONE once it is committed; NONE too for a partition whose topic is gone (nothing left to end) or a
     *     marker older than the producer's epoch there (a retry of one already written); else the error
     */
    public CompletableFuture<Errors> append(
            TopicPartition tp, long producerId, short epoch, boolean commit, int coordinatorEpoch) {
        if (tp.topic().equals(GroupCoordinator.TOPIC)) {
            return groups.loaded()
                    .map(c -> c.completeTransaction(tp.partition(), producerId, commit))
                    .orElse(CompletableFuture.completedFuture(Errors.NOT_COORDINATOR));
        }
        if (replicas.image().topic(tp.topic()).isEmpty()) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        PartitionReplica partition = replicas.partition(tp).orElse(null);
        if (partition == null || !partition.isLeader()) {
            return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        try {
            AppendResult result = partition.appendMarker(
                    ControlBatches.marker(producerId, epoch, commit, coordinatorEpoch, clock.nowMs()));
            return partition.awaitCommitted(result.lastOffset() + 1).handle((ok, failure) -> {
                if (failure == null) {
                    return Errors.NONE;
                }
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                return cause instanceof ReplicaException replica
                        ? ErrorMapping.of(replica.error())
                        : Errors.KAFKA_STORAGE_ERROR;
            });
        } catch (LogException e) {
            return CompletableFuture.completedFuture(
                    e.error() == LogError.INVALID_PRODUCER_EPOCH ? Errors.NONE : ErrorMapping.of(e.error()));
        } catch (ReplicaException e) {
            return CompletableFuture.completedFuture(ErrorMapping.of(e.error()));
        }
    }
}
