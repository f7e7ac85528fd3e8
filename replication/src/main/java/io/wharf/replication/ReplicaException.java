package io.wharf.replication;

/** A replica refused an operation for a reason the client must hear ({@link #error()}). */
public final class ReplicaException extends RuntimeException {

    private final ReplicaError error;

    public ReplicaException(ReplicaError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ReplicaError error() {
        return error;
    }
}
