package io.wharf.metadata;

/**
 * A change refused for a reason the client must hear: thrown by code that computes a change (a config plan) and
 * turned into that change's result, never out of the controller.
 */
public final class MetadataException extends RuntimeException {

    private final MetadataError error;

    public MetadataException(MetadataError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public MetadataError error() {
        return error;
    }
}
