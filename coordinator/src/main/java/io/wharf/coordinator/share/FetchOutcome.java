package io.wharf.coordinator.share;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a fetch came to on one share-partition: how its acknowledgements went (all applied, or none and why), the
 * records acquired with their delivery counts, and the batches to send for them.
 */
public record FetchOutcome(
        Errors error,
        String message,
        Errors ackError,
        String ackMessage,
        List<AcquiredRecords> acquired,
        List<BatchSpan> batches) {

    static FetchOutcome failed(Errors error, String message) {
        return new FetchOutcome(error, message, error, message, List.of(), List.of());
    }
}
