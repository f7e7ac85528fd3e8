package io.wharf.coordinator.txn;

import io.wharf.common.TopicPartition;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the coordinator keeps of one transactional id: an immutable value, replaced by the replay of each record.
 *
 * @param producerId the producer id handed out for the transactional id
 * @param producerEpoch the current epoch; a request with an older one comes from a fenced producer
 * @param timeoutMs the producer's {@code transaction.timeout.ms}
 * @param partitions the partitions of the ongoing (or ending) transaction, including group offset partitions
 * @param startMs when the ongoing transaction began (its first partition), or -1
 * @param lastUpdateMs when the state last changed
 */
public record TransactionMetadata(
        String transactionalId,
        long producerId,
        short producerEpoch,
        int timeoutMs,
        TransactionState state,
        Set<TopicPartition> partitions,
        long startMs,
        long lastUpdateMs) {

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    /** The same id moved to {@code next} (checked against the state machine) at {@code nowMs}. */
    TransactionMetadata moveTo(TransactionState next, Set<TopicPartition> nextPartitions, long nowMs) {
        long start = next == TransactionState.ONGOING && state != TransactionState.ONGOING
                ? nowMs
                : next.isIdle() ? -1 : startMs;
        return new TransactionMetadata(
                transactionalId,
                producerId,
                producerEpoch,
                timeoutMs,
                state.moveTo(next),
                nextPartitions,
                start,
                nowMs);
    }

    TransactionMetadata withProducer(long id, short epoch, int timeout) {
        return new TransactionMetadata(transactionalId, id, epoch, timeout, state, partitions, startMs, lastUpdateMs);
    }

    /** The partitions, sorted, for stable records and answers. */
    public Set<TopicPartition> sortedPartitions() {
        return new TreeSet<>(partitions);
    }
}
