package io.wharf.storage;

import java.util.concurrent.CompletableFuture;

/**
 * How a partition log learns that its records are on disk: by forcing its own segment files ({@link GroupCommit}, a
 * log on its own) or through the data directory's journal ({@link JournalDurability}, every log of a {@link
 * LogManager}).
 *
 * <p>Threads: any thread may wait and read; the log calls the other methods under its append lock.
 */
interface Durability {

    /** Every record below this offset is on disk. */
    long durableOffset();

    /** Completes once every record below {@code offset} (at most the log end) is on disk. */
    CompletableFuture<Void> awaitDurable(long offset);

    /** Marks everything below {@code offset} durable without a sync (after recovery forced it, or on close). */
    void markDurable(long offset);

    /** After the log was cut to {@code newEnd}: waiters for records that no longer exist fail. */
    void truncated(long newEnd);

    /** Fails every waiter, and every later one, after the log's disk failed. */
    void fail(Throwable cause);
}
