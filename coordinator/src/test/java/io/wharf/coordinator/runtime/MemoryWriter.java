package io.wharf.coordinator.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A coordinator's partitions as lists in memory: appends are committed at once, reads replay the lists. */
public final class MemoryWriter implements PartitionWriter {

    public final Map<Integer, List<CoordinatorRecord>> partitions = new HashMap<>();
    public long startOffset;

    public List<CoordinatorRecord> records(int partition) {
        return partitions.computeIfAbsent(partition, p -> new ArrayList<>());
    }

    @Override
    public long append(int partition, List<CoordinatorRecord> records) {
        records(partition).addAll(records);
        return startOffset + records(partition).size();
    }

    @Override
    public CompletableFuture<Void> awaitCommitted(int partition, long offset) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void read(int partition, RecordConsumer consumer) {
        List<CoordinatorRecord> records = records(partition);
        for (int i = 0; i < records.size(); i++) {
            consumer.accept(startOffset + i, records.get(i));
        }
    }

    @Override
    public long sizeInBytes(int partition) {
        return records(partition).stream()
                .mapToLong(r -> r.key().length + (r.value() == null ? 0 : r.value().length))
                .sum();
    }

    @Override
    public void deleteRecordsBefore(int partition, long offset) {
        List<CoordinatorRecord> records = records(partition);
        int drop = (int) (offset - startOffset);
        records.subList(0, drop).clear();
        startOffset = offset;
    }
}
