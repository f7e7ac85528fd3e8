package io.wharf.storage.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The aborted transactions whose ABORT marker is in one segment, so that a read_committed fetch can tell the consumer
 * which producers' records to drop (Fetch's {@code AbortedTransactions}). Like the other indexes it is a cache: it is
 * never fsynced on the append path and the log rebuilds it from the batches at recovery.
 *
 * <pre>
 * NNNNNNNNNNNNNNNNNNNN.txnindex, a run of entries (34 bytes each, big-endian), in marker order
 *   version           int16   0
 *   producerId        int64
 *   firstOffset       int64   the transaction's first record in this partition
 *   lastOffset        int64   the ABORT marker
 *   lastStableOffset  int64   the partition's first unstable offset once the marker was written
 * </pre>
 *
 * <p>Threads: appended to and truncated by the log's appender; read by any thread (the entries are also held in a
 * copy-on-write list, aborts being rare). The file is opened by name for each write and flush, so those and the
 * renames that retire a segment hold the index's lock: a flush never opens a name that was just renamed away.
 */
public final class TransactionIndex {

    public static final String SUFFIX = ".txnindex";
    static final int ENTRY_SIZE = 2 + 8 + 8 + 8 + 8;
    private static final short VERSION = 0;

    private volatile Path file;
    private final List<AbortedTransaction> entries = new CopyOnWriteArrayList<>();
    private final boolean existedAtOpen;
    private boolean valid = true;

    /** Opens the index, reading what it holds; a file that does not decode is {@link #isValid() invalid}. */
    TransactionIndex(Path file) throws IOException {
        this.file = file;
        this.existedAtOpen = Files.exists(file);
        if (!existedAtOpen) {
            Files.write(file, new byte[0]);
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        if (bytes.remaining() % ENTRY_SIZE != 0) {
            valid = false;
            return;
        }
        while (bytes.hasRemaining()) {
            short version = bytes.getShort();
            AbortedTransaction entry =
                    new AbortedTransaction(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
            if (version != VERSION || entry.firstOffset() > entry.lastOffset()) {
                valid = false;
                entries.clear();
                return;
            }
            entries.add(entry);
        }
    }

    public boolean existedAtOpen() {
        return existedAtOpen;
    }

    /** Whether the file decoded whole; an invalid index must be rebuilt. */
    public boolean isValid() {
        return valid;
    }

    public Path file() {
        return file;
    }

    public List<AbortedTransaction> entries() {
        return List.copyOf(entries);
    }

    /** Adds an entry at the end of the file. Appender only. */
    public synchronized void append(AbortedTransaction entry) throws IOException {
        ByteBuffer bytes = encode(entry);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        entries.add(entry);
    }

    /** Removes the entries whose marker is at or after {@code offset}. Appender only. */
    public void truncateTo(long offset) throws IOException {
        if (entries.stream().noneMatch(entry -> entry.lastOffset() >= offset)) {
            return;
        }
        List<AbortedTransaction> kept = new ArrayList<>();
        for (AbortedTransaction entry : entries) {
            if (entry.lastOffset() < offset) {
                kept.add(entry);
            }
        }
        rewrite(kept);
    }

    /** Empties the index (before a rebuild). Appender or opening thread. */
    public void reset() throws IOException {
        rewrite(List.of());
        valid = true;
    }

    private synchronized void rewrite(List<AbortedTransaction> kept) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(kept.size() * ENTRY_SIZE);
        kept.forEach(entry -> bytes.put(encode(entry)));
        Files.write(file, bytes.array());
        entries.clear();
        entries.addAll(kept);
    }

    /** Adds to {@code out} the entries of transactions that overlap {@code [fromOffset, upperOffset)}. */
    public void collect(long fromOffset, long upperOffset, List<AbortedTransaction> out) {
        for (AbortedTransaction entry : entries) {
            if (entry.lastOffset() >= fromOffset && entry.firstOffset() < upperOffset) {
                out.add(entry);
            }
        }
    }

    public synchronized void flush() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    public synchronized void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            // A cleaned segment replaced again within file.delete.delay.ms leaves an older file of this name.
            Files.move(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        file = target;
    }

    public synchronized void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    static ByteBuffer encode(AbortedTransaction entry) {
        return ByteBuffer.allocate(ENTRY_SIZE)
                .putShort(VERSION)
                .putLong(entry.producerId())
                .putLong(entry.firstOffset())
                .putLong(entry.lastOffset())
                .putLong(entry.lastStableOffset())
                .flip();
    }
}
