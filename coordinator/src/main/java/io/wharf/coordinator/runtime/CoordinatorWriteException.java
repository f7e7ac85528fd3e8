package io.wharf.coordinator.runtime;

/** Records could not be appended to a coordinator partition; the operation fails and changes nothing. */
public final class CoordinatorWriteException extends RuntimeException {

    public CoordinatorWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
