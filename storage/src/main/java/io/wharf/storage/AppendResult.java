package io.wharf.storage;

/**
 * The outcome of an append.
 *
 * @param firstOffset the offset of the first record appended (or of the original, for a duplicate)
 * @param lastOffset the offset of the last record appended
 * @param logAppendTimeMs the time stamped on the batches when the topic uses LogAppendTime, else -1
 * @param logStartOffset the log start offset after the append
 * @param recordCount how many records were appended (0 for a duplicate)
 * @param sizeInBytes how many bytes were written (0 for a duplicate)
 * @param duplicate whether the batch had been appended before and was not appended again
 */
public record AppendResult(
        long firstOffset,
        long lastOffset,
        long logAppendTimeMs,
        long logStartOffset,
        int recordCount,
        int sizeInBytes,
        boolean duplicate) {}
