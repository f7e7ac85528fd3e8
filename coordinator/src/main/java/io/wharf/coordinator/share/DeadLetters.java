package io.wharf.coordinator.share;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Copies archived records to a dead-letter topic. Implemented by the broker, which reads the originals. */
@FunctionalInterface
public interface DeadLetters {

    /** One record to copy: its offset, how often it was delivered and why it was archived. */
    record Letter(long offset, int deliveries, ArchiveCause cause) {}

    /**
     * Writes copies of {@code letters}, in order, to {@code topic}.
     *
     * @return completes once the copies are durable, or exceptionally when they cannot be written (the records are
     *     then archived without a copy)
     */
    CompletableFuture<Void> write(SharePartitionKey source, String topic, List<Letter> letters);
}
