package io.wharf.storage.journal;

import io.wharf.storage.LogError;
import io.wharf.storage.LogException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the journal's next file comes from: prepared ahead on a thread of its own, so that zeroing a file never
 * delays a sync or a completion, and made of a recycled file whenever one is free, so that in steady state no file is
 * ever zeroed again. Keeps as many free files as a checkpoint's worth of entries fills.
 *
 * <p>Threads: {@link #take} and {@link #prepare} under the journal's lock; {@link #release} from any thread.
 */
final class JournalFilePool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalFilePool.class);

    /** Makes the journal file with a given sequence: a test can make the disk full. */
    @FunctionalInterface
    interface FileSource {
        JournalFile make(long sequence) throws IOException;
    }

    private final Path dir;
    private final JournalSettings settings;
    private final ConcurrentLinkedDeque<JournalFile> free = new ConcurrentLinkedDeque<>();
    private final ExecutorService maker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wharf-journal-files");
        thread.setDaemon(true);
        return thread;
    });
    private FileSource source = this::recycleOrCreate;
    private CompletableFuture<JournalFile> preparing;
    private long preparingSequence = -1;

    JournalFilePool(Path dir, JournalSettings settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /**
     * File {@code sequence}: the prepared one, or one made now.
     *
     * @throws LogException KAFKA_STORAGE_ERROR when none can be had (a full disk); nothing changed
     */
    synchronized JournalFile take(long sequence) {
        CompletableFuture<JournalFile> ready = preparing;
        preparing = null;
        if (ready != null && preparingSequence == sequence) {
            try {
                return ready.join();
            } catch (RuntimeException e) {
                log.warn("Preparing journal file {} failed: {}; trying again", sequence, e.getMessage());
            }
        } else if (ready != null) {
            ready.thenAccept(this::release);
        }
        try {
            return source.make(sequence);
        } catch (IOException e) {
            throw new LogException(
                    LogError.KAFKA_STORAGE_ERROR,
                    "The journal has no room for another file (" + e.getMessage() + "); nothing was appended",
                    e);
        }
    }

    /** Starts making file {@code sequence} in the background. */
    synchronized void prepare(long sequence) {
        FileSource from = source;
        preparingSequence = sequence;
        preparing = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return from.make(sequence);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                maker);
    }

    private JournalFile recycleOrCreate(long sequence) throws IOException {
        JournalFile recycled = free.poll();
        if (recycled != null) {
            return JournalFile.recycle(recycled, dir, sequence);
        }
        return JournalFile.create(dir, sequence, settings.fileBytes());
    }

    /** For tests: where new journal files come from; a file already prepared is given back. */
    synchronized void source(FileSource newSource) {
        this.source = newSource;
        CompletableFuture<JournalFile> ready = preparing;
        preparing = null;
        if (ready != null) {
            ready.thenAccept(this::release);
        }
    }

    private long freeFilesMax() {
        return settings.checkpointBytes() / settings.fileBytes() + 2;
    }

    /** Keeps a file no longer needed for recycling, or deletes it when enough are kept. */
    void release(JournalFile file) {
        try {
            if (free.size() < freeFilesMax() && file.capacity() == settings.fileBytes()) {
                free.add(file);
            } else {
                file.delete();
            }
        } catch (IOException e) {
            log.warn("Cannot delete journal file {}: {}", file.path(), e.getMessage());
        }
    }

    /** Stops preparing, and closes the prepared and free files. */
    @Override
    public synchronized void close() throws IOException {
        maker.shutdown();
        CompletableFuture<JournalFile> ready = preparing;
        preparing = null;
        if (ready != null) {
            try {
                ready.join().close();
            } catch (RuntimeException e) {
                // nothing was prepared
            }
        }
        for (JournalFile file : free) {
            file.close();
        }
    }
}
