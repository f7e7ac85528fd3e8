package io.wharf.storage;

/** A read or lookup at an offset the log does not hold; carries the log's current bounds for the client. */
public final class OffsetOutOfRangeException extends LogException {

    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(long offset, long logStartOffset, long logEndOffset) {
        super(
                LogError.OFFSET_OUT_OF_RANGE,
                "Offset " + offset + " is out of range: the log holds [" + logStartOffset + ", " + logEndOffset + ")");
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
