package io.wharf.storage.cleaner;

import io.wharf.protocol.record.BatchView;
import io.wharf.storage.segment.AbortedTransaction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which transaction markers one cleaning pass may remove, decided as the pass reads its input in offset order (every
 * run, from the start of the log). A marker (COMMIT or ABORT) may go only when no data batch of its transaction was
 * read in this pass: the pass that removes a transaction's last batch keeps its marker, and only a later one, once
 * the marker is older than {@code delete.retention.ms}, removes it with its aborted-transaction index entry. So a
 * reader that still holds a segment from before that later pass finds no data of the transaction there that the
 * entry would have to filter, and a consumer that read the data before it went has had the grace to read the marker
 * too. A marker after its producer's last data batch stays (it may hold the producer's latest epoch), as does any
 * marker of a transaction that still has a batch, even an empty header: replaying the log on recovery opens a
 * transaction at such a batch, and only its marker closes it again. One thread.
 */
final class MarkerRetention {

    /** Producers whose current transaction had a data batch in this pass's input. */
    private final Set<Long> withData = new HashSet<>();
    /** Per producer, the offsets of the markers this pass removed. */
    private final Map<Long, Set<Long>> removed = new HashMap<>();

    /** Notes a data batch; only a transactional one counts. */
    void onData(BatchView batch) {
        if (batch.isTransactional() && batch.hasProducerId()) {
            withData.add(batch.producerId());
        }
    }

    /**
     * Reads a control batch, which ends its producer's transaction in this pass's view.
     *
     * @param oldEnough whether the marker is older than {@code delete.retention.ms} and below the mapped end
     * @param producerLastOffset the producer's last data batch's last offset, -1 when it has none, null when the log
     *     no longer knows the producer
     * @return whether the marker may go
     */
    boolean onMarker(BatchView marker, boolean oldEnough, Long producerLastOffset) {
        if (!marker.hasProducerId()) {
            return false;
        }
        boolean hadData = withData.remove(marker.producerId());
        boolean producersLatest = producerLastOffset != null && marker.baseOffset() > producerLastOffset;
        boolean removable = oldEnough && !hadData && !producersLatest;
        if (removable) {
            removed.computeIfAbsent(marker.producerId(), id -> new HashSet<>()).add(marker.baseOffset());
        }
        return removable;
    }

    /** Whether this pass removed the marker of {@code entry}, whose index entry then goes too. */
    boolean removedMarkerOf(AbortedTransaction entry) {
        Set<Long> offsets = removed.get(entry.producerId());
        return offsets != null && offsets.contains(entry.lastOffset());
    }
}
