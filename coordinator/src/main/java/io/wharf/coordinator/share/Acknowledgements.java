package io.wharf.coordinator.share;

import java.util.List;

/** The shape rules of a partition's acknowledgement batches, checked before any record is looked at. */
final class Acknowledgements {

    private Acknowledgements() {}

    /**
     * Why {@code batches} are malformed, or null when they are not: each batch must run forward from a non-negative
     * offset, carry one type or one per offset, use known types (RENEW only where allowed), and come after the one
     * before it without overlapping.
     */
    static String problem(List<Acknowledgement> batches, boolean renewAllowed) {
        long previousLast = -1;
        for (Acknowledgement batch : batches) {
            long first = batch.firstOffset();
            long last = batch.lastOffset();
            if (first < 0 || last < first) {
                return "Acknowledgement batch " + first + " to " + last + " is not a valid range";
            }
            if (first <= previousLast) {
                return "Acknowledgement batches must be in offset order without overlap; " + first + " follows "
                        + previousLast;
            }
            previousLast = last;
            byte[] types = batch.types();
            if (types == null || (types.length != 1 && types.length != last - first + 1)) {
                return "Acknowledgement batch " + first + " to " + last + " must have one type or one per offset";
            }
            for (byte id : types) {
                AcknowledgeType type = AcknowledgeType.of(id);
                if (type == null) {
                    return "Unknown acknowledge type " + id;
                }
                if (type == AcknowledgeType.RENEW && !renewAllowed) {
                    return "RENEW acknowledgements need a request with IsRenewAck set (version 2 or later)";
                }
            }
        }
        return null;
    }
}
