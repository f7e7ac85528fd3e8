package io.wharf.server;

import io.wharf.metadata.controller.Controller;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids for InitProducerId from blocks the controller reserves in the metadata log, so an id is never
 * given twice, even across restarts: a block is taken whole, and ids left unused in it at a restart are skipped.
 *
 * <p>Thread-safe.
 */
public final class ProducerIdManager {

    static final int BLOCK_SIZE = 1000;

    private final Controller controller;
    private final int brokerId;
    private long next;
    private long blockEnd;

    public ProducerIdManager(Controller controller, int brokerId) {
        this.controller = controller;
        this.brokerId = brokerId;
    }

    /** The next unused producer id. */
    public synchronized CompletableFuture<Long> nextId() {
        if (next < blockEnd) {
            return CompletableFuture.completedFuture(next++);
        }
        long first = controller.allocateProducerIds(brokerId, BLOCK_SIZE).join().result();
        next = first;
        blockEnd = first + BLOCK_SIZE;
        return CompletableFuture.completedFuture(next++);
    }
}
