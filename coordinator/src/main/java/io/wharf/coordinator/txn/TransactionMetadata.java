package io.wharf.coordinator.txn;

import io.wharf.common.TopicPartition;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the coordinator keeps of one transactional id: an immutable value, replaced by the replay of each record.
 *
 * @param producerId the producer id handed out for the transactional id
 * @param producerEpoch the current epoch; a request with an older one comes from a fenced producer
 * @param previousProducerId the producer id this one replaced when its epoch ran out at the end of a transaction
 *     (transaction version 2), so that the client's retry of that EndTxn is recognised; else -1
 * @param nextProducerId while a transaction whose epoch ran out is being marked, the producer id the client was
 *     given for its next one; else -1
 * @param lastProducerEpoch the epoch the producer had before its last EndTxn gave it a new one (transaction version
 *     2), so that the client's retry of that EndTxn is told what the first one was; -1 when the epoch last moved for
 *     another reason (InitProducerId, a timeout), when such a request is a fenced producer's
 * @param timeoutMs the producer's {@code transaction.timeout.ms}
 * @param partitions the partitions of the ongoing (or ending) transaction, including group offset partitions
 * @param startMs when the ongoing transaction began (its first partition), or -1
 * @param lastUpdateMs when the state last changed
 */
public record TransactionMetadata(
        String transactionalId,
        long producerId,
        short producerEpoch,
        long previousProducerId,
        long nextProducerId,
        short lastProducerEpoch,
        int timeoutMs,
        TransactionState state,
        Set<TopicPartition> partitions,
        long startMs,
        long lastUpdateMs) {

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    /** A new transactional id, or one re-initialized: no previous or next producer id. */
    static TransactionMetadata created(
            String transactionalId, long producerId, int timeoutMs, TransactionState state, long nowMs) {
        return new TransactionMetadata(
                transactionalId, producerId, (short) 0, -1, -1, (short) -1, timeoutMs, state, Set.of(), -1, nowMs);
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
                previousProducerId,
                nextProducerId,
                lastProducerEpoch,
                timeoutMs,
                state.moveTo(next),
                nextPartitions,
                start,
                nowMs);
    }

    /** The same id with another producer id and epoch; the previous, next ids and last epoch are cleared. */
    TransactionMetadata withProducer(long id, short epoch, int timeout) {
        return new TransactionMetadata(
                transactionalId, id, epoch, -1, -1, (short) -1, timeout, state, partitions, startMs, lastUpdateMs);
    }

    /** The same id with the previous and next producer ids and the last epoch set. */
    TransactionMetadata withProducerIds(long previous, long next, short lastEpoch) {
        return new TransactionMetadata(
                transactionalId,
                producerId,
                producerEpoch,
                previous,
                next,
                lastEpoch,
                timeoutMs,
                state,
                partitions,
                startMs,
                lastUpdateMs);
    }

    /** The partitions, sorted, for stable records and answers. */
    public Set<TopicPartition> sortedPartitions() {
        return new TreeSet<>(partitions);
    }
}
