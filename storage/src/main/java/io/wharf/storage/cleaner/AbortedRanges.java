package io.wharf.storage.cleaner;

import io.wharf.protocol.record.BatchView;
import io.wharf.storage.segment.AbortedTransaction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which transactional batches of a cleanable range were aborted. Every transaction with a batch in the range is
 * decided (the range ends at or below the last stable offset), and a producer has one transaction open at a time, so
 * a transactional batch of producer P at offset o is aborted exactly when an aborted-transaction index entry of P
 * spans o (its first offset up to its ABORT marker); any other transactional batch was committed. The answer does
 * not depend on the order batches are asked about, so the map and the rewrite ask independently. One thread.
 */
final class AbortedRanges {

    /** Per producer: first offset to marker offset of each of its aborted transactions. */
    private final Map<Long, TreeMap<Long, Long>> byProducer = new HashMap<>();

    AbortedRanges(List<AbortedTransaction> aborted) {
        for (AbortedTransaction entry : aborted) {
            byProducer
                    .computeIfAbsent(entry.producerId(), id -> new TreeMap<>())
                    .put(entry.firstOffset(), entry.lastOffset());
        }
    }

    /** Whether {@code batch} holds data of an aborted transaction (never true of a marker). */
    boolean isAborted(BatchView batch) {
        if (!batch.isTransactional() || batch.isControl() || !batch.hasProducerId()) {
            return false;
        }
        TreeMap<Long, Long> ranges = byProducer.get(batch.producerId());
        if (ranges == null) {
            return false;
        }
        Map.Entry<Long, Long> range = ranges.floorEntry(batch.baseOffset());
        return range != null && range.getValue() >= batch.baseOffset();
    }
}
