package io.wharf.server.group;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorWriteException;
import io.wharf.coordinator.runtime.NotCoordinatorException;
import io.wharf.coordinator.runtime.PartitionWriter;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.protocol.record.RecordReader;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.storage.LogException;
import io.wharf.storage.LogSlice;
import io.wharf.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a coordinator's records to the partitions of its internal topic, like any producer's data: one batch per
 * operation, appended as the leader, committed once durable and under the high watermark.
 */
final class InternalPartitionWriter implements PartitionWriter {

    private static final int READ_CHUNK_BYTES = 1 << 20;

    private final String topic;
    private final ReplicaManager replicas;
    private final io.wharf.common.Clock clock;

    InternalPartitionWriter(String topic, ReplicaManager replicas, io.wharf.common.Clock clock) {
        this.topic = topic;
        this.replicas = replicas;
        this.clock = clock;
    }

    private PartitionReplica partition(int index) {
        return replicas.partition(new TopicPartition(topic, index))
                .orElseThrow(() -> new NotCoordinatorException(topic + "-" + index + " is not hosted here", false));
    }

    @Override
    public long append(int partition, List<CoordinatorRecord> records) {
        RecordBatchBuilder builder = RecordBatchBuilder.create();
        long now = clock.nowMs();
        for (CoordinatorRecord record : records) {
            builder.add(now, record.key(), record.value());
        }
        try {
            return partition(partition).appendInternal(builder.build()).lastOffset() + 1;
        } catch (LogException e) {
            throw new CoordinatorWriteException(
                    "cannot append to " + topic + "-" + partition + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Void> awaitCommitted(int partition, long offset) {
        if (offset <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return partition(partition).awaitCommitted(offset);
    }

    @Override
    public void read(int partition, RecordConsumer consumer) {
        PartitionLog log = partition(partition).log();
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            LogSlice slice = log.read(offset, READ_CHUNK_BYTES, end, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer bytes = slice.readFully();
            long next = offset;
            for (Record record : RecordReader.records(bytes)) {
                if (record.offset() >= offset) {
                    consumer.accept(record.offset(), new CoordinatorRecord(record.key(), record.value()));
                }
                next = record.offset() + 1;
            }
            // A compacted partition has gaps, and batches whose records all went: go on after the last batch read.
            offset = Math.max(Math.max(next, lastBatchEnd(bytes)), offset + 1);
        }
    }

    /** The offset after the last batch in {@code bytes}. */
    private static long lastBatchEnd(ByteBuffer bytes) {
        BatchView view = new BatchView();
        long end = -1;
        for (int position = bytes.position(); position + BatchView.HEADER_SIZE <= bytes.limit(); ) {
            view.wrap(bytes, position);
            end = view.lastOffset() + 1;
            position += view.sizeInBytes();
        }
        return end;
    }

    @Override
    public long sizeInBytes(int partition) {
        return partition(partition).log().sizeInBytes();
    }

    @Override
    public void deleteRecordsBefore(int partition, long offset) {
        partition(partition).log().deleteRecordsBefore(offset);
    }
}
