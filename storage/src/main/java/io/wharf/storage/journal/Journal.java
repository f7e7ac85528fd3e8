package io.wharf.storage.journal;

import io.wharf.common.Clock;
import io.wharf.common.Invariants;
import io.wharf.storage.LogError;
import io.wharf.storage.LogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of a data directory: every append of every partition is also appended here, and one fdatasync of the
 * journal makes a whole round of appends durable, however many partitions they went to. {@link JournalFormat} draws
 * the files.
 *
 * <p><b>Writing.</b> {@link #append} copies an entry into the open in-memory chunk and returns its end LSN; it does no
 * I/O. The sync thread takes every filled chunk, writes them to the journal file (page cache) and forces the file,
 * then completes the waiters at or below the end. A waiter that arrives while a sync runs is covered by the next one,
 * which starts as soon as the current one ends: an append waits for at most the rest of one sync and one more.
 * Chunks come from a small pool; when all are full, appenders wait for the sync thread to return one.
 *
 * <p><b>Files.</b> Each file is preallocated, so a sync writes data blocks only. The next file is prepared in the
 * background; a roll writes a FILE_END entry and continues in it. {@link #checkpoint} records where replay must start
 * once the partitions' segments are forced, and files wholly before that point are recycled as later files.
 *
 * <p><b>States.</b> {@code RUNNING → CLOSING → CLOSED}, and {@code RUNNING | CLOSING → FAILED} when a write or an
 * fsync fails. After an fsync failure nothing about the page cache can be trusted, so a failed journal refuses every
 * append and fails every waiter with KAFKA_STORAGE_ERROR until the broker restarts and recovery reads the disk again.
 * Failing to get a new file (a full disk) is not a failure of the journal: that append is refused and the next one
 * tries again.
 *
 * <p>Threads: {@link #append} and {@link #awaitDurable} from any thread; the sync thread is the journal's own.
 */
public final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int CHUNKS = 3;

    enum State {
        RUNNING,
        CLOSING,
        CLOSED,
        FAILED
    }

    private record Waiter(long lsn, CompletableFuture<Void> future, long sinceNanos) {}

    private final Path dir;
    private final JournalSettings settings;
    private final Clock clock;
    private final Executor completions;
    private final ConcurrentSkipListMap<Long, JournalFile> files;
    private final JournalFilePool pool;
    private final SyncStats stats = new SyncStats();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition chunkReturned = lock.newCondition();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.lsn, b.lsn));
    private final ArrayDeque<JournalChunk> chunks = new ArrayDeque<>();
    private final ArrayDeque<JournalChunk> sealed = new ArrayDeque<>();
    private final ByteBuffer headerScratch = ByteBuffer.allocate(JournalFormat.ENTRY_HEADER_BYTES);
    /** The bytes of the active file's block that the next chunk starts in, up to the next entry. Lock held. */
    private final byte[] tailBlock = new byte[JournalChunk.BLOCK_BYTES];

    private int tailLength;
    private final Thread syncThread;

    private State state = State.RUNNING;
    private LogException failure;
    private JournalFile active;
    private int filePosition;
    private JournalChunk current;
    private volatile long appendLsn;
    private volatile long durableLsn;
    private volatile long checkpointLsn;

    Journal(
            Path dir,
            JournalSettings settings,
            Clock clock,
            Executor completions,
            ConcurrentSkipListMap<Long, JournalFile> files,
            JournalFile active,
            JournalFilePool pool) {
        this.dir = dir;
        this.pool = pool;
        this.settings = settings;
        this.clock = clock;
        this.completions = completions;
        this.files = files;
        this.active = active;
        this.filePosition = JournalFormat.FILE_HEADER_BYTES;
        this.appendLsn = JournalFormat.lsn(active.sequence(), filePosition);
        this.durableLsn = appendLsn;
        this.checkpointLsn = appendLsn;
        this.tailLength = startOfFile(active);
        for (int i = 0; i < CHUNKS; i++) {
            chunks.add(new JournalChunk(settings.bufferBytes(), true));
        }
        this.syncThread = new Thread(this::syncLoop, "wharf-journal-sync");
        this.syncThread.setDaemon(true);
    }

    /**
     * Reads the journal in {@code dir} (creating it when absent) for recovery. Nothing is written until {@link
     * OpenedJournal#start} is called, after every partition has replayed its entries and forced its segments.
     */
    public static OpenedJournal open(Path dir, JournalSettings settings, Clock clock, Executor completions)
            throws IOException {
        return OpenedJournal.read(dir, settings, clock, completions);
    }

    /** Starts the sync thread and the preparation of the next file. Before anything is appended. */
    void begin() {
        syncThread.start();
        pool.prepare(active.sequence() + 1);
    }

    public Path dir() {
        return dir;
    }

    /** The LSN after the last entry appended so far; entries below it may not be durable yet. */
    public long appendLsn() {
        return appendLsn;
    }

    /** Every entry below this LSN is on disk. */
    public long durableLsn() {
        return durableLsn;
    }

    /** The sync queue's figures so far. */
    public SyncStats stats() {
        return stats;
    }

    /** Journal bytes appended since the last checkpoint (approximate across files). */
    public long bytesSinceCheckpoint() {
        return distance(checkpointLsn, appendLsn);
    }

    private long distance(long from, long to) {
        long files = JournalFormat.fileSequence(to) - JournalFormat.fileSequence(from);
        return files * settings.fileBytes() + JournalFormat.position(to) - JournalFormat.position(from);
    }

    /**
     * Appends an entry; returns the LSN just past it, which {@link #awaitDurable} takes. No I/O happens here, except
     * when the active file is full and its successor was not ready.
     *
     * @throws LogException KAFKA_STORAGE_ERROR when the journal failed or has no room for a new file; the entry was
     *     not appended
     */
    public long append(short type, long logId, long offset, ByteBuffer payload) {
        int length = JournalFormat.ENTRY_HEADER_BYTES + payload.remaining();
        lock.lock();
        try {
            checkRunning();
            if (length + JournalFormat.ENTRY_HEADER_BYTES + JournalFormat.FILE_HEADER_BYTES > active.capacity()) {
                throw new LogException(
                        LogError.RECORD_LIST_TOO_LARGE,
                        "An entry of " + length + " bytes does not fit in a journal file of " + active.capacity());
            }
            if (filePosition + length + JournalFormat.ENTRY_HEADER_BYTES > active.capacity()) {
                roll();
            }
            JournalChunk chunk = chunkFor(length);
            chunk.add(
                    JournalFormat.entryHeader(headerScratch, active.sequence(), type, logId, offset, payload), payload);
            filePosition += length;
            appendLsn = chunk.endLsn();
            if (chunk.remaining() < JournalFormat.ENTRY_HEADER_BYTES) {
                work.signal();
            }
            return appendLsn;
        } finally {
            lock.unlock();
        }
    }

    /** Completes once every entry below {@code lsn} is on disk; fails with KAFKA_STORAGE_ERROR if it cannot be. */
    public CompletableFuture<Void> awaitDurable(long lsn) {
        if (lsn <= durableLsn) {
            return DONE;
        }
        lock.lock();
        try {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (lsn <= durableLsn) {
                return DONE;
            }
            Invariants.check(lsn <= appendLsn, "waiting for LSN %d past the journal's end %d", lsn, appendLsn);
            CompletableFuture<Void> future = new CompletableFuture<>();
            waiters.add(new Waiter(lsn, future, clock.nanoTime()));
            work.signal();
            return future;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the tail block to the file header: the first chunk of a file starts at its position 0. */
    private int startOfFile(JournalFile file) {
        JournalFormat.fileHeader(file.sequence()).get(tailBlock, 0, JournalFormat.FILE_HEADER_BYTES);
        tailLength = JournalFormat.FILE_HEADER_BYTES;
        return tailLength;
    }

    /** The chunk the next {@code length} bytes go to, sealing a full one. Lock held. */
    private JournalChunk chunkFor(int length) {
        if (current != null && current.remaining() >= length) {
            return current;
        }
        sealCurrent();
        JournalChunk chunk;
        if (length + JournalChunk.BLOCK_BYTES > settings.bufferBytes()) {
            chunk = new JournalChunk(length + JournalChunk.BLOCK_BYTES, false);
        } else {
            while (chunks.isEmpty()) {
                checkRunning();
                chunkReturned.awaitUninterruptibly();
            }
            chunk = chunks.poll();
        }
        current = chunk.reset(active, filePosition, tailBlock, tailLength);
        return current;
    }

    private void sealCurrent() {
        if (current != null && !current.isEmpty()) {
            tailLength = current.copyTail(tailBlock);
            sealed.add(current);
            work.signal();
        } else if (current != null) {
            returnChunk(current);
        }
        current = null;
    }

    private void returnChunk(JournalChunk chunk) {
        if (chunk.isPooled()) {
            chunks.add(chunk);
            chunkReturned.signalAll();
        }
    }

    /** Ends the active file with FILE_END and continues in the next one. Lock held. */
    private void roll() {
        JournalFile next = pool.take(active.sequence() + 1);
        JournalChunk chunk = chunkFor(JournalFormat.ENTRY_HEADER_BYTES);
        chunk.add(
                JournalFormat.entryHeader(headerScratch, active.sequence(), JournalFormat.FILE_END, 0, 0, EMPTY),
                EMPTY);
        sealCurrent();
        files.put(next.sequence(), next);
        active = next;
        startOfFile(next);
        filePosition = JournalFormat.FILE_HEADER_BYTES;
        appendLsn = JournalFormat.lsn(next.sequence(), filePosition);
        pool.prepare(next.sequence() + 1);
    }

    /** For tests: the file entries go to now. */
    JournalFile activeFile() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** For tests: where new journal files come from. */
    void fileSource(JournalFilePool.FileSource source) {
        pool.source(source);
    }

    private void checkRunning() {
        if (state == State.FAILED) {
            throw failure;
        }
        if (state != State.RUNNING) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "The journal in " + dir + " is closed");
        }
    }

    private boolean hasWork() {
        return !sealed.isEmpty() || (!waiters.isEmpty() && appendLsn > durableLsn) || state == State.CLOSING;
    }

    private void syncLoop() {
        while (true) {
            List<JournalChunk> taken;
            long syncStart;
            lock.lock();
            try {
                while (state == State.RUNNING && !hasWork()) {
                    work.awaitUninterruptibly();
                }
                if (state == State.FAILED) {
                    return;
                }
                sealCurrent();
                if (sealed.isEmpty()) {
                    if (state == State.CLOSING) {
                        state = State.CLOSED;
                        return;
                    }
                    continue;
                }
                taken = new ArrayList<>(sealed);
                sealed.clear();
                syncStart = clock.nanoTime();
            } finally {
                lock.unlock();
            }
            if (!sync(taken, syncStart)) {
                return;
            }
        }
    }

    /** Writes and forces the chunks, then completes what they cover; false when the journal failed. Sync thread. */
    private boolean sync(List<JournalChunk> written, long syncStart) {
        long bytes = 0;
        try {
            JournalFile forced = null;
            for (JournalChunk chunk : written) {
                if (forced != null && forced != chunk.file()) {
                    forced.force();
                }
                chunk.writeOut();
                bytes += chunk.entryBytes();
                forced = chunk.file();
            }
            forced.force();
        } catch (IOException | RuntimeException e) {
            fail(e);
            return false;
        }
        long target = written.get(written.size() - 1).endLsn();
        List<Waiter> done = new ArrayList<>();
        lock.lock();
        try {
            durableLsn = target;
            written.forEach(this::returnChunk);
            while (!waiters.isEmpty() && waiters.peek().lsn <= target) {
                done.add(waiters.poll());
            }
        } finally {
            lock.unlock();
        }
        long end = clock.nanoTime();
        stats.recordSync(end - syncStart, bytes);
        for (Waiter waiter : done) {
            stats.recordQueue(Math.max(0, syncStart - waiter.sinceNanos), 1);
        }
        if (!done.isEmpty()) {
            // Elsewhere, not here: a callback must not delay the next sync, and one that appends again (a coordinator
            // writing its next records) would wait for a chunk that only this thread can return.
            completions.execute(() -> done.forEach(w -> w.future.complete(null)));
        }
        return true;
    }

    private void fail(Throwable cause) {
        List<Waiter> failed;
        LogException error;
        lock.lock();
        try {
            if (state == State.FAILED) {
                return;
            }
            error = new LogException(
                    LogError.KAFKA_STORAGE_ERROR, "The journal in " + dir + " failed: " + cause.getMessage(), cause);
            failure = error;
            state = State.FAILED;
            failed = new ArrayList<>(waiters);
            waiters.clear();
            chunkReturned.signalAll();
            work.signalAll();
        } finally {
            lock.unlock();
        }
        log.error("Journal {} failed; appends are refused until restart", dir, cause);
        failed.forEach(w -> w.future.completeExceptionally(error));
    }

    /** Whether the journal failed; its appends are then refused until restart. */
    public boolean isFailed() {
        return failure != null;
    }

    /**
     * Records that every entry below {@code replayFrom} is in a forced segment, and recycles the files wholly before
     * it. Called after the segments were forced.
     */
    public void checkpoint(long replayFrom, Map<Long, Long> flushedOffsets) throws IOException {
        new JournalCheckpoint(replayFrom, flushedOffsets).write(dir);
        checkpointLsn = replayFrom;
        long keepFrom = JournalFormat.fileSequence(Math.min(replayFrom, durableLsn));
        NavigableMap<Long, JournalFile> done = files.headMap(keepFrom, false);
        for (JournalFile file : new ArrayList<>(done.values())) {
            files.remove(file.sequence());
            pool.release(file);
        }
    }

    /**
     * Stops as a crash would, for tests: entries not yet written stay unwritten, waiters are never completed, and the
     * files are left as they are.
     */
    public void halt() throws IOException {
        lock.lock();
        try {
            failure = new LogException(LogError.KAFKA_STORAGE_ERROR, "The journal in " + dir + " was halted");
            state = State.FAILED;
            work.signalAll();
            chunkReturned.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            syncThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
        for (JournalFile file : files.values()) {
            file.close();
        }
    }

    /** Writes and forces everything appended, stops the sync thread and closes the files. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSING;
                work.signalAll();
            }
        } finally {
            lock.unlock();
        }
        try {
            syncThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
        for (JournalFile file : files.values()) {
            file.close();
        }
    }

    @Override
    public String toString() {
        return "Journal(" + dir + ", append " + OpenedJournal.describe(appendLsn) + ", durable "
                + OpenedJournal.describe(durableLsn) + ")";
    }
}
