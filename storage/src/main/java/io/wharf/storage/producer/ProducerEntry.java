package io.wharf.storage.producer;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The state of one producer id in one partition: its epoch and its last {@link ProducerStateManager#RETAINED_BATCHES}
 * batches, newest last. Mutated only by the partition's appender.
 */
public final class ProducerEntry {

    private final long producerId;
    private short epoch;
    private long lastTimestamp;
    /** The offset of this producer's first record in its ongoing transaction, or -1 when it has none. */
    private long transactionFirstOffset = -1;
    /**
     * Whether the current epoch came from a marker (the coordinator bumped it, transaction version 2) and no batch of
     * it is here yet: its first batch must then start at sequence 0. Soft: after a restart any sequence starts it.
     */
    private boolean bumpedByMarker;

    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(ProducerStateManager.RETAINED_BATCHES);

    ProducerEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The offset of the first record of this producer's ongoing transaction, or -1 when it has none. */
    public long transactionFirstOffset() {
        return transactionFirstOffset;
    }

    void transactionFirstOffset(long offset) {
        transactionFirstOffset = offset;
    }

    /** A marker of a newer epoch (the coordinator bumped it): the old epoch's batches no longer matter. */
    void observeEpoch(short markerEpoch, long timestamp) {
        if (markerEpoch > epoch) {
            epoch = markerEpoch;
            batches.clear();
            bumpedByMarker = true;
        }
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    /** Whether the next batch must start at sequence 0: its epoch was begun by a marker and has no batch yet. */
    boolean expectsFirstSequence() {
        return bumpedByMarker && batches.isEmpty();
    }

    /** The sequence number of the last record appended in the current epoch, or -1 when there is none. */
    public int lastSequence() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
    }

    public List<BatchMetadata> batches() {
        return List.copyOf(batches);
    }

    /** The retained batch with exactly this sequence range, or null. */
    BatchMetadata find(int firstSeq, int lastSeq) {
        for (BatchMetadata batch : batches) {
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return batch;
            }
        }
        return null;
    }

    void add(short batchEpoch, BatchMetadata batch) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
        }
        bumpedByMarker = false;
        if (batches.size() == ProducerStateManager.RETAINED_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastTimestamp = Math.max(lastTimestamp, batch.timestamp());
    }

    void restore(long timestamp, List<BatchMetadata> retained) {
        lastTimestamp = timestamp;
        batches.clear();
        batches.addAll(retained);
    }
}
