package io.wharf.coordinator.share;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Copies archived records to a dead-letter topic. Implemented by the broker, which reads the originals from the data
 * partition it leads and produces the copies to the dead-letter partition's leader, wherever that is.
 */
@FunctionalInterface
public interface DeadLetters {

    /** One record to copy: its offset, how often it was delivered and why it was archived. */
    record Letter(long offset, int deliveries, ArchiveCause cause) {}

    /**
     * The copies can never be written (the group's topic refuses dead letters, cannot be created, or would not take
     * them): the records are archived without copies, so a misconfiguration cannot stall a queue.
     */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Writes copies of {@code letters}, in order, to {@code topic}.
     *
     * @return completes once the copies are durable; fails with {@link Refused} when they can never be written, and
     *     otherwise (the dead-letter partition's leader moves, this broker stopped leading the source) when they
     *     should be written again later
     */
    CompletableFuture<Void> write(SharePartitionKey source, String topic, List<Letter> letters);
}
