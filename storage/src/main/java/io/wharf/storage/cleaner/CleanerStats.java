package io.wharf.storage.cleaner;

/**
 * What one cleaning pass over one log did, for its log line and for tests.
 *
 * @param bytesRead the bytes of the segments rewritten
 * @param bytesWritten the bytes of the cleaned segments
 * @param keys the distinct keys mapped from the dirty section
 * @param recordsRemoved records left out
 * @param tombstonesRemoved of those, tombstones past {@code delete.retention.ms}
 * @param segmentsBefore segments rewritten
 * @param segmentsAfter cleaned segments they became
 * @param cleanedTo the new first dirty offset
 * @param elapsedNanos the time the pass took
 * @param mapNanos of that, the time building the offset map took
 * @param syncNanos of that, the time spent making the cleaned segments durable (fsyncs of files and directory)
 * @param pausedNanos of that, the time the thread paused to leave the CPU to appends ({@link Pacer})
 * @param swapped false when a swap lost a race with retention or truncation and its cleaned segment was dropped
 */
public record CleanerStats(
        long bytesRead,
        long bytesWritten,
        int keys,
        long recordsRemoved,
        long tombstonesRemoved,
        int segmentsBefore,
        int segmentsAfter,
        long cleanedTo,
        long elapsedNanos,
        long mapNanos,
        long syncNanos,
        long pausedNanos,
        boolean swapped) {

    /** Megabytes read per second. */
    public double readMbPerSecond() {
        return elapsedNanos == 0 ? 0 : bytesRead / 1e6 / (elapsedNanos / 1e9);
    }
}
