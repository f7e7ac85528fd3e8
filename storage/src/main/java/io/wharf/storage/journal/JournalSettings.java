package io.wharf.storage.journal;

/**
 * How a journal runs.
 *
 * @param fileBytes the size of each journal file, preallocated (at most 1 GiB, since positions are 32-bit)
 * @param bufferBytes the size of each of the buffers appends are copied into before the sync thread writes them;
 *     an entry larger than this gets a buffer of its own
 * @param checkpointIntervalMs how often the partitions' segments are forced so that the journal before can be recycled
 * @param checkpointBytes journal bytes since the last checkpoint that start another one early, bounding recovery
 * @param statsLogIntervalMs how often the sync queue's figures are logged at debug level
 */
public record JournalSettings(
        int fileBytes, int bufferBytes, long checkpointIntervalMs, long checkpointBytes, long statsLogIntervalMs) {

    public static final int DEFAULT_FILE_BYTES = 32 << 20;

    public JournalSettings {
        if (fileBytes < 64 * 1024 || fileBytes > (1 << 30)) {
            throw new IllegalArgumentException("journal file bytes must be within 64 KiB .. 1 GiB: " + fileBytes);
        }
        if (bufferBytes < 4096) {
            throw new IllegalArgumentException("journal buffer bytes must be at least 4096: " + bufferBytes);
        }
    }

    public static JournalSettings defaults() {
        return new JournalSettings(DEFAULT_FILE_BYTES, 4 << 20, 60_000, 4L << 30, 10_000);
    }

    /** Small files and buffers, for tests that roll and recycle often. */
    public static JournalSettings small(int fileBytes) {
        return new JournalSettings(fileBytes, 16 * 1024, 10_000, 4L * fileBytes, 10_000);
    }
}
