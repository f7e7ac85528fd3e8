package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataError;

/** The outcome of a change to one resource; {@code error} is null on success. */
public record ChangeResult(MetadataError error, String message) {

    public static final ChangeResult OK = new ChangeResult(null, null);

    public boolean isSuccess() {
        return error == null;
    }
}
