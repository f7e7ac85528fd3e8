package io.wharf.replication;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for a partition's high watermark to pass an offset: {@code acks=all} produces and coordinators'
 * writes. Completed in offset order as the watermark moves; failed all at once when the replica stops leading.
 *
 * <p>Threads: guarded by the owning {@link PartitionReplica}'s lock; futures complete outside it.
 */
final class CommitWaiters {

    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();

    void add(long offset, CompletableFuture<Void> future) {
        waiting.computeIfAbsent(offset, o -> new ArrayList<>()).add(future);
    }

    /** Removes and returns the futures of every offset at or below {@code highWatermark}. */
    List<CompletableFuture<Void>> due(long highWatermark) {
        List<CompletableFuture<Void>> due = new ArrayList<>();
        Iterator<Map.Entry<Long, List<CompletableFuture<Void>>>> entries =
                waiting.headMap(highWatermark, true).entrySet().iterator();
        while (entries.hasNext()) {
            due.addAll(entries.next().getValue());
            entries.remove();
        }
        return due;
    }

    /** Removes and returns every waiting future. */
    List<CompletableFuture<Void>> all() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        waiting.clear();
        return all;
    }
}
