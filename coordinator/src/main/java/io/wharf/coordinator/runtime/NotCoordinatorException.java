package io.wharf.coordinator.runtime;

/** The partition is not (or not yet) served here: answered NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS. */
public final class NotCoordinatorException extends RuntimeException {

    private final boolean loading;

    public NotCoordinatorException(String message, boolean loading) {
        super(message, null, false, false);
        this.loading = loading;
    }

    /** Whether the partition is being loaded (retry soon) rather than not served here at all. */
    public boolean isLoading() {
        return loading;
    }
}
