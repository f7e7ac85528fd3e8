package io.wharf.storage;

import io.wharf.storage.journal.Journal;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * The durability of one partition log whose appends go to the data directory's {@link Journal}: a record is durable
 * once the journal entry that holds it is, whatever the state of the segment file. The log notes each entry's end
 * LSN with the log end offset it reaches; the durable offset is that of the last entry at or below the journal's
 * durable LSN.
 *
 * <p>Threads: {@link #appended} and {@link #truncated} under the log's append lock; the rest from any thread.
 */
final class JournalDurability implements Durability {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Pending(long lsn, long endOffset) {}

    private final Journal journal;
    private final LongSupplier logEnd;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private volatile long durableOffset;
    private volatile Throwable failure;

    JournalDurability(Journal journal, LongSupplier logEnd, long durableOffset) {
        this.journal = journal;
        this.logEnd = logEnd;
        this.durableOffset = durableOffset;
    }

    /** Records below {@code endOffset} are durable once the journal is durable to {@code lsn}. Append lock held. */
    synchronized void appended(long lsn, long endOffset) {
        pending.add(new Pending(lsn, endOffset));
    }

    @Override
    public long durableOffset() {
        long durableLsn = journal.durableLsn();
        Pending head;
        synchronized (this) {
            head = pending.peek();
        }
        if (head == null || head.lsn > durableLsn) {
            return durableOffset;
        }
        synchronized (this) {
            while (!pending.isEmpty() && pending.peek().lsn <= durableLsn) {
                durableOffset = Math.max(durableOffset, pending.poll().endOffset);
            }
            return durableOffset;
        }
    }

    @Override
    public CompletableFuture<Void> awaitDurable(long offset) {
        long target = Math.min(offset, logEnd.getAsLong());
        if (target <= durableOffset()) {
            return DONE;
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        long lsn = -1;
        synchronized (this) {
            for (Pending entry : pending) {
                if (entry.endOffset >= target) {
                    lsn = entry.lsn;
                    break;
                }
            }
        }
        if (lsn < 0) {
            // Covered by an entry that became durable since the check above, or cut by a truncation.
            return durableOffset() >= target ? DONE : truncatedAway(target);
        }
        return journal.awaitDurable(lsn).thenRun(() -> {
            if (durableOffset() < target) {
                throw new CompletionException(lost(target));
            }
        });
    }

    private CompletableFuture<Void> truncatedAway(long target) {
        return CompletableFuture.failedFuture(lost(target));
    }

    private LogException lost(long target) {
        return new LogException(
                LogError.KAFKA_STORAGE_ERROR,
                "The log was truncated below " + target + " before the records were durable");
    }

    @Override
    public synchronized void markDurable(long offset) {
        pending.clear();
        durableOffset = Math.max(durableOffset, offset);
    }

    @Override
    public synchronized void truncated(long newEnd) {
        pending.removeIf(entry -> entry.endOffset > newEnd);
        durableOffset = Math.min(durableOffset, newEnd);
    }

    @Override
    public void fail(Throwable cause) {
        failure = cause;
    }
}
