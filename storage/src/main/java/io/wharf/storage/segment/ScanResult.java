package io.wharf.storage.segment;

/**
 * What a scan of a segment's batches found.
 *
 * @param validBytes where the last good batch ends
 * @param nextOffset the offset after the last good batch
 * @param problem what stopped the scan before the end of the file, or null when every batch was good
 * @param detail a sentence for the log about where and why
 */
public record ScanResult(int validBytes, long nextOffset, Problem problem, String detail) {

    /** Why a scan stopped early. */
    public enum Problem {
        /** The last batch runs past the end of the file. */
        TORN,
        /** Zeros where a batch header should be. */
        ZEROS,
        /** A bad CRC or an impossible header. */
        CORRUPT
    }

    public boolean isComplete() {
        return problem == null;
    }
}
