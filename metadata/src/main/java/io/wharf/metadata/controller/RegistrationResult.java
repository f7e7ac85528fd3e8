package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataError;

/** The broker epoch a registration got, or why it was refused ({@code error} null on success). */
public record RegistrationResult(long brokerEpoch, MetadataError error, String message) {

    static RegistrationResult refused(MetadataError error, String message) {
        return new RegistrationResult(-1, error, message);
    }
}
