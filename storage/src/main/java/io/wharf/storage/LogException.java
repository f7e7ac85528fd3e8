package io.wharf.storage;

/**
 * An operation the log refused, with the Kafka error it maps to. A refused append has changed nothing.
 */
public class LogException extends RuntimeException {

    private final LogError error;

    public LogException(LogError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public LogException(LogError error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
    }

    public LogError error() {
        return error;
    }
}
