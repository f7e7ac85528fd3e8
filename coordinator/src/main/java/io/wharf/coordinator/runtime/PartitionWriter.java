package io.wharf.coordinator.runtime;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a coordinator's records go: its internal partitions. Implemented by the broker, which appends them to the
 * partition log like any data. Calls for one partition come from that partition's shard thread, one at a time.
 */
public interface PartitionWriter {

    /** Receives the records of a partition in order. */
    @FunctionalInterface
    interface RecordConsumer {
        void accept(long offset, CoordinatorRecord record);
    }

    /**
     * Appends records as one batch.
     *
     * @return the offset after the last record
     * @throws CoordinatorWriteException when the records cannot be appended (nothing was written)
     */
    long append(int partition, List<CoordinatorRecord> records);

    /** Completes once every record below {@code offset} is durable (committed). */
    CompletableFuture<Void> awaitCommitted(int partition, long offset);

    /** Feeds every record of the partition, in order, to {@code consumer}. */
    void read(int partition, RecordConsumer consumer) throws IOException;

    /** The partition's size in bytes, to decide when to snapshot. */
    long sizeInBytes(int partition);

    /** Drops the records before {@code offset}, after a snapshot made them unnecessary. */
    void deleteRecordsBefore(int partition, long offset);
}
