package io.wharf.coordinator.share;

/**
 * One acknowledgement batch as a client sent it: offsets {@code [firstOffset, lastOffset]} and either one type for
 * all of them or one per offset (wire ids of {@link AcknowledgeType}).
 */
public record Acknowledgement(long firstOffset, long lastOffset, byte[] types) {

    /** The type of {@code offset}, or null when its id is unknown. */
    AcknowledgeType typeOf(long offset) {
        return AcknowledgeType.of(types.length == 1 ? types[0] : types[(int) (offset - firstOffset)]);
    }
}
