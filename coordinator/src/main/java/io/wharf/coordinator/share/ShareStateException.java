package io.wharf.coordinator.share;

import org.apache.kafka.common.protocol.Errors;

/**
 * The share coordinator refused or could not serve a share-state request, with the Kafka error code that says why:
 * FENCED_LEADER_EPOCH and FENCED_STATE_EPOCH for a writer that is out of date (the state was not changed),
 * NOT_COORDINATOR and COORDINATOR_LOAD_IN_PROGRESS while the state's partition moves, and so on.
 */
public final class ShareStateException extends RuntimeException {

    private final Errors error;

    public ShareStateException(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public Errors error() {
        return error;
    }

    /** Whether the request certainly changed nothing and may be sent again once the state's partition has moved. */
    public boolean isRetriable() {
        return error == Errors.NOT_COORDINATOR
                || error == Errors.COORDINATOR_LOAD_IN_PROGRESS
                || error == Errors.COORDINATOR_NOT_AVAILABLE;
    }

    /** Whether the writer is out of date: it must read the state again before it writes. */
    public boolean isFenced() {
        return error == Errors.FENCED_STATE_EPOCH || error == Errors.FENCED_LEADER_EPOCH;
    }
}
