package io.wharf.protocol.record;

/**
 * A record batch that cannot be stored. {@link #isCorrupt()} tells a batch whose bytes are damaged (a CRC mismatch, a
 * length that runs past the data: Kafka's CORRUPT_MESSAGE) from one that is intact but breaks a rule (Kafka's
 * INVALID_RECORD).
 */
public final class InvalidBatchException extends RuntimeException {

    private final boolean corrupt;

    private InvalidBatchException(String message, boolean corrupt) {
        super(message, null, false, false);
        this.corrupt = corrupt;
    }

    public static InvalidBatchException corrupt(String message) {
        return new InvalidBatchException(message, true);
    }

    public static InvalidBatchException invalid(String message) {
        return new InvalidBatchException(message, false);
    }

    public boolean isCorrupt() {
        return corrupt;
    }
}
