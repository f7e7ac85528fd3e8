package io.wharf.storage;

import io.wharf.protocol.record.BatchStructure;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.InvalidBatchException;
import io.wharf.protocol.record.RecordScan;
import io.wharf.protocol.record.RecordsSummary;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether batches may be appended, without changing a byte: everything is checked before the log patches
 * offsets in, so a refused append leaves both the log and the caller's buffer as they were.
 */
final class LogValidator {

    /**
     * One checked batch.
     *
     * @param position where it starts in the appended buffer
     * @param recordsMaxTimestamp the largest record timestamp found inside
     */
    record CheckedBatch(int position, int sizeInBytes, int recordCount, long recordsMaxTimestamp) {}

    private LogValidator() {}

    /**
     * Checks the batches from the buffer's position to its limit.
     *
     * @throws LogException with the Kafka error that tells the producer what was wrong
     */
    static List<CheckedBatch> validate(ByteBuffer records, LogConfig config, AppendOrigin origin, long nowMs) {
        int total = records.remaining();
        if (total == 0) {
            throw new LogException(LogError.INVALID_RECORD, "The append holds no record batch");
        }
        if (total > config.segmentBytes()) {
            throw new LogException(
                    LogError.RECORD_LIST_TOO_LARGE,
                    "The append is " + total + " bytes, larger than a segment (segment.bytes=" + config.segmentBytes()
                            + ")");
        }
        List<CheckedBatch> batches = new ArrayList<>(1);
        BatchView batch = new BatchView();
        int position = records.position();
        int end = records.limit();
        long previousLastOffset = Long.MIN_VALUE;
        while (position < end) {
            batch.wrap(records, position);
            int size = checkStructure(batch, end - position);
            if (origin == AppendOrigin.REPLICATION) {
                if (batch.baseOffset() <= previousLastOffset) {
                    throw new LogException(LogError.INVALID_RECORD, "Replicated batches have decreasing offsets");
                }
                previousLastOffset = batch.lastOffset();
                batches.add(new CheckedBatch(position, size, batch.recordCount(), batch.maxTimestamp()));
            } else {
                batches.add(checkFromProducer(batch, size, config, origin, nowMs));
            }
            position += size;
        }
        if (origin == AppendOrigin.CLIENT && batches.size() != 1) {
            throw new LogException(
                    LogError.INVALID_RECORD,
                    "A produce must hold exactly one record batch per partition, this one holds " + batches.size());
        }
        return batches;
    }

    private static int checkStructure(BatchView batch, int available) {
        try {
            return BatchStructure.check(batch, available);
        } catch (InvalidBatchException e) {
            throw asLogException(e);
        }
    }

    private static CheckedBatch checkFromProducer(
            BatchView batch, int size, LogConfig config, AppendOrigin origin, long nowMs) {
        if (size > config.maxMessageBytes()) {
            throw new LogException(
                    LogError.MESSAGE_TOO_LARGE,
                    "The record batch is " + size + " bytes, larger than max.message.bytes="
                            + config.maxMessageBytes());
        }
        int count = batch.recordCount();
        if (count <= 0 || (long) batch.lastOffsetDelta() + 1 != count) {
            throw new LogException(
                    LogError.INVALID_RECORD,
                    "The record batch declares " + count + " records but a last offset delta of "
                            + batch.lastOffsetDelta());
        }
        if (origin == AppendOrigin.CLIENT && batch.isControl()) {
            throw new LogException(LogError.INVALID_RECORD, "Clients may not write control batches");
        }
        if (origin == AppendOrigin.COORDINATOR && ControlBatches.type(batch) == ControlBatches.NOT_A_MARKER) {
            throw new LogException(LogError.INVALID_RECORD, "The coordinator writes only transaction markers");
        }
        if (batch.hasProducerId() && batch.baseSequence() < 0 && !batch.isControl()) {
            throw new LogException(
                    LogError.INVALID_RECORD,
                    "The record batch has producer id " + batch.producerId() + " but no sequence number");
        }
        RecordsSummary summary;
        try {
            summary = RecordScan.summarize(batch);
        } catch (InvalidBatchException e) {
            throw asLogException(e);
        }
        if (config.compact() && summary.hasNullKey()) {
            throw new LogException(LogError.INVALID_RECORD, "A compacted topic accepts only records with a key");
        }
        if (!config.logAppendTime()) {
            checkTimestamps(summary, config, nowMs);
        }
        return new CheckedBatch(batch.start(), size, count, summary.maxTimestamp());
    }

    private static void checkTimestamps(RecordsSummary summary, LogConfig config, long nowMs) {
        long earliest = saturatedSubtract(nowMs, config.timestampBeforeMaxMs());
        long latest = saturatedAdd(nowMs, config.timestampAfterMaxMs());
        if (summary.minTimestamp() < earliest && summary.minTimestamp() >= 0) {
            throw new LogException(
                    LogError.INVALID_TIMESTAMP,
                    "Timestamp " + summary.minTimestamp() + " is more than message.timestamp.before.max.ms="
                            + config.timestampBeforeMaxMs() + " before the broker's time " + nowMs);
        }
        if (summary.maxTimestamp() > latest) {
            throw new LogException(
                    LogError.INVALID_TIMESTAMP,
                    "Timestamp " + summary.maxTimestamp() + " is more than message.timestamp.after.max.ms="
                            + config.timestampAfterMaxMs() + " after the broker's time " + nowMs);
        }
    }

    private static long saturatedSubtract(long a, long b) {
        long result = a - b;
        return ((a ^ b) & (a ^ result)) < 0 ? Long.MIN_VALUE : result;
    }

    private static long saturatedAdd(long a, long b) {
        long result = a + b;
        return ((a ^ result) & (b ^ result)) < 0 ? Long.MAX_VALUE : result;
    }

    private static LogException asLogException(InvalidBatchException e) {
        return new LogException(e.isCorrupt() ? LogError.CORRUPT_MESSAGE : LogError.INVALID_RECORD, e.getMessage());
    }
}
