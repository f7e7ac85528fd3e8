package io.wharf.amqp.model;

import java.util.concurrent.CompletableFuture;

/**
 * Where a virtual host keeps what must survive a restart: durable exchanges, queues and bindings, and the persistent
 * messages of durable queues with their settlements. Called on the broker thread; the futures may complete on any
 * thread.
 */
public interface DurableStore {

    /** Keeps nothing: every definition and message lives in memory only. */
    DurableStore NONE = new DurableStore() {};

    default CompletableFuture<Void> exchangeDeclared(Exchange exchange) {
        return CompletableFuture.completedFuture(null);
    }

    default CompletableFuture<Void> exchangeDeleted(String name) {
        return CompletableFuture.completedFuture(null);
    }

    default CompletableFuture<Void> queueDeclared(AmqpQueue queue) {
        return CompletableFuture.completedFuture(null);
    }

    default CompletableFuture<Void> queueDeleted(String name) {
        return CompletableFuture.completedFuture(null);
    }

    default CompletableFuture<Void> bound(Binding binding) {
        return CompletableFuture.completedFuture(null);
    }

    default CompletableFuture<Void> unbound(Binding binding) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Stores a message of a durable queue in the queue's log.
     *
     * @return its position in the log (the queue's sequence for it), and a future that completes once it is on disk
     *     (fsynced) or exceptionally when it cannot be stored; null when this store keeps no messages
     */
    default Stored append(AmqpQueue queue, Message message) {
        return null;
    }

    /** Records that the message at {@code sequence} of a durable queue is gone (acknowledged, dropped). */
    default void settled(AmqpQueue queue, long sequence) {}

    /** The broker finished a step: write what was gathered during it (settlements) together. */
    default void flush() {}

    /**
     * Where a message was stored.
     *
     * @param sequence its offset in the queue's log, or -1 when it could not be appended
     */
    record Stored(long sequence, CompletableFuture<Void> durable) {}
}
