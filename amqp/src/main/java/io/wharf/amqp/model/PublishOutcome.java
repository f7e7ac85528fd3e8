package io.wharf.amqp.model;

import java.util.concurrent.CompletableFuture;

/**
 * What became of one published message.
 *
 * @param routed whether any queue took it (else mandatory sends basic.return)
 * @param refused whether a queue refused it for being full ({@code x-overflow=reject-publish}): a confirm is a nack
 * @param stored completes when every durable copy is on disk; exceptionally when one cannot be stored
 */
public record PublishOutcome(boolean routed, boolean refused, CompletableFuture<Void> stored) {}
