package io.wharf.metadata.controller;

import java.util.concurrent.CompletableFuture;

/** Carries a request to the controller of the metadata quorum's leader, or of node {@code nodeId} when not negative. */
@FunctionalInterface
public interface ControllerTransport {
    CompletableFuture<byte[]> send(byte[] request, int nodeId);
}
