package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.common.Clock;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Compression;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.protocol.record.RecordReader;
import io.wharf.storage.cleaner.CleanerStats;
import io.wharf.storage.cleaner.CleaningPass;
import io.wharf.storage.cleaner.OffsetMap;
import io.wharf.storage.cleaner.Throttler;
import io.wharf.storage.segment.AbortedTransaction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Keyed batches and cleaning passes for the cleaner's tests. */
final class CleanerFixture {

    private CleanerFixture() {}

    /** A compacted log's settings with small segments, every record cleanable at once, tombstones kept 1 h. */
    static LogConfig compacted(int segmentBytes) {
        return LogConfig.parse(Map.of(
                "segment.bytes", String.valueOf(segmentBytes),
                "index.interval.bytes", "128",
                "file.delete.delay.ms", "0",
                "cleanup.policy", "compact",
                "delete.retention.ms", "3600000",
                "min.cleanable.dirty.ratio", "0.01"));
    }

    /** One batch of (key, value) pairs, a null value being a tombstone. */
    static ByteBuffer keyed(long timestamp, Compression compression, String... keyValues) {
        RecordBatchBuilder builder = RecordBatchBuilder.create(compression);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.add(
                    timestamp,
                    keyValues[i].getBytes(UTF_8),
                    keyValues[i + 1] == null ? null : keyValues[i + 1].getBytes(UTF_8));
        }
        return builder.build();
    }

    /** Marks a built batch transactional, as a transactional producer's would be. */
    static ByteBuffer transactional(ByteBuffer batch) {
        short attributes = batch.getShort(BatchView.ATTRIBUTES_OFFSET);
        batch.putShort(BatchView.ATTRIBUTES_OFFSET, (short) (attributes | 0x10));
        batch.putInt(BatchView.CRC_OFFSET, (int) new BatchView().wrap(batch, 0).computeCrc());
        return batch;
    }

    /**
     * Makes everything appended cleanable (the high watermark at the log end, the segments forced, so the recovery
     * point passes them).
     */
    static void commitAll(PartitionLog log) throws Exception {
        log.flush(log.logEndOffset()).get(10, TimeUnit.SECONDS);
        log.flushSegments();
        log.updateHighWatermark(log.logEndOffset());
    }

    /** One pass over {@code log} with a map of {@code mapBytes}. */
    static CleanerStats clean(PartitionLog log, Clock clock, long mapBytes) throws Exception {
        return new CleaningPass(new OffsetMap(mapBytes), new Throttler(clock, Double.MAX_VALUE), clock)
                .clean(log, log.cleanableRange(clock.nowMs()));
    }

    /** Passes until the cleaner checkpoint reaches the end of what may be cleaned; returns how many it took. */
    static int cleanFully(PartitionLog log, Clock clock, long mapBytes) throws Exception {
        int passes = 0;
        do {
            clean(log, clock, mapBytes);
            passes++;
        } while (log.cleanerCheckpoint() < log.cleanableRange(clock.nowMs()).endOffset() && passes < 1000);
        return passes;
    }

    /** The latest value served for every key, in order of the keys' first appearance; null for a tombstone. */
    static Map<String, String> latest(List<Record> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Record record : records) {
            latest.put(
                    new String(record.key(), UTF_8), record.value() == null ? null : new String(record.value(), UTF_8));
        }
        return latest;
    }

    /** How many records each key has. */
    static Map<String, Integer> counts(List<Record> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (Record record : records) {
            counts.merge(new String(record.key(), UTF_8), 1, Integer::sum);
        }
        return counts;
    }

    /** Every batch the log serves from its start to {@code upperOffset}, each as its own buffer. */
    static List<ByteBuffer> batches(PartitionLog log, long upperOffset) {
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = log.logStartOffset();
        BatchView view = new BatchView();
        while (offset < upperOffset) {
            LogSlice slice = log.read(offset, 300, upperOffset, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer bytes = slice.readFully();
            int position = bytes.position();
            while (position + BatchView.HEADER_SIZE <= bytes.limit()) {
                view.wrap(bytes, position);
                int size = view.sizeInBytes();
                if (position + size > bytes.limit()) {
                    break;
                }
                if (view.lastOffset() >= offset) {
                    batches.add(bytes.slice(position, size));
                }
                offset = Math.max(offset, view.lastOffset() + 1);
                position += size;
            }
        }
        return batches;
    }

    /** The records of every data batch, markers left out. */
    static List<Record> dataRecords(PartitionLog log) {
        List<Record> records = new ArrayList<>();
        for (ByteBuffer batch : batches(log, log.logEndOffset())) {
            if (!new BatchView().wrap(batch, 0).isControl()) {
                records.addAll(RecordReader.records(batch));
            }
        }
        return records;
    }

    static List<Long> controlBatchOffsets(PartitionLog log) {
        List<Long> offsets = new ArrayList<>();
        for (ByteBuffer batch : batches(log, log.logEndOffset())) {
            BatchView view = new BatchView().wrap(batch, 0);
            if (view.isControl()) {
                offsets.add(view.baseOffset());
            }
        }
        return offsets;
    }

    /**
     * What a read_committed consumer gets, filtered as kafka-clients filters: up to the last stable offset, with the
     * fetch's aborted transactions, a producer's transactional batches dropped from its aborted transaction's first
     * offset until its ABORT marker.
     */
    static List<Record> readCommitted(PartitionLog log) {
        long stable = log.lastStableOffset();
        PriorityQueue<AbortedTransaction> aborted =
                new PriorityQueue<>(Comparator.comparingLong(AbortedTransaction::firstOffset));
        aborted.addAll(log.abortedTransactions(log.logStartOffset(), stable));
        Set<Long> abortedProducers = new HashSet<>();
        List<Record> records = new ArrayList<>();
        for (ByteBuffer batch : batches(log, stable)) {
            BatchView view = new BatchView().wrap(batch, 0);
            while (!aborted.isEmpty() && aborted.peek().firstOffset() <= view.lastOffset()) {
                abortedProducers.add(aborted.poll().producerId());
            }
            if (view.isControl()) {
                for (Record marker : RecordReader.records(batch)) {
                    if (ByteBuffer.wrap(marker.key()).getShort(2) == ControlBatches.ABORT) {
                        abortedProducers.remove(view.producerId());
                    }
                }
            } else if (!(view.isTransactional() && abortedProducers.contains(view.producerId()))) {
                records.addAll(RecordReader.records(batch));
            }
        }
        return records;
    }
}
