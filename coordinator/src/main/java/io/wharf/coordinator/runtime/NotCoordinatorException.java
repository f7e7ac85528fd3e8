package io.wharf.coordinator.runtime;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The partition is not (or not yet) served here: answered NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS. A write
 * that could not be made durable (the partition's leadership moved, the disk failed) is one too: the client finds the
 * coordinator again and retries, as it would after a move.
 */
public final class NotCoordinatorException extends RuntimeException {

    private final boolean loading;

    public NotCoordinatorException(String message, boolean loading) {
        super(message, null, false, false);
        this.loading = loading;
    }

    /** A write to the partition failed with {@code cause}; the partition reloads before it serves again. */
    public NotCoordinatorException(String message, Throwable cause) {
        super(message, cause, false, false);
        this.loading = false;
    }

    /**
     * The error a client gets when a coordinator could not serve its request: NOT_COORDINATOR or
     * COORDINATOR_LOAD_IN_PROGRESS for this exception, UNKNOWN_SERVER_ERROR for anything else (a bug in an operation).
     */
    public static Errors errorFor(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NotCoordinatorException notCoordinator) {
            return notCoordinator.isLoading() ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NOT_COORDINATOR;
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** Whether the partition is being loaded (retry soon) rather than not served here at all. */
    public boolean isLoading() {
        return loading;
    }
}
