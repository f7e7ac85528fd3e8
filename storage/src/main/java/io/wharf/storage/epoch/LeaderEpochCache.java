package io.wharf.storage.epoch;

import io.wharf.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The start offset of every leader epoch the log has records of, persisted in {@value #FILE_NAME} after each change.
 *
 * <pre>
 * leader-epoch-checkpoint (text, one item per line)
 *   0                       format version
 *   2                       number of entries
 *   0 0                     epoch, first offset written in it
 *   3 1200
 * </pre>
 *
 * <p>Threads: changed only under the partition's append lock; read from any thread (the list is replaced whole, never
 * edited in place).
 */
public final class LeaderEpochCache {

    public static final String FILE_NAME = "leader-epoch-checkpoint";
    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_OFFSET = -1;

    /** An epoch and the first offset written in it. */
    public record EpochEntry(int epoch, long startOffset) {}

    /** The answer to OffsetForLeaderEpoch: the largest epoch not above the one asked for, and where it ended. */
    public record EpochEndOffset(int epoch, long endOffset) {}

    private final Path file;
    private volatile List<EpochEntry> entries;

    private LeaderEpochCache(Path file, List<EpochEntry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads the checkpoint in {@code dir}.
     *
     * @return the cache, or empty when the file is missing or unreadable (the caller rebuilds it from the log)
     */
    public static Optional<LeaderEpochCache> load(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            if (lines.size() < 2 || !lines.get(0).trim().equals("0")) {
                return Optional.empty();
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2) {
                return Optional.empty();
            }
            List<EpochEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(i + 2).trim().split("\\s+");
                EpochEntry entry = new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                if (!entries.isEmpty() && !follows(entries.get(entries.size() - 1), entry)) {
                    return Optional.empty();
                }
                entries.add(entry);
            }
            return Optional.of(new LeaderEpochCache(file, entries));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** An empty cache for {@code dir}; nothing is written until the first {@link #assign}. */
    public static LeaderEpochCache empty(Path dir) {
        return new LeaderEpochCache(dir.resolve(FILE_NAME), List.of());
    }

    private static boolean follows(EpochEntry previous, EpochEntry next) {
        return next.epoch() > previous.epoch() && next.startOffset() >= previous.startOffset();
    }

    public List<EpochEntry> entries() {
        return entries;
    }

    public int latestEpoch() {
        List<EpochEntry> current = entries;
        return current.isEmpty()
                ? UNDEFINED_EPOCH
                : current.get(current.size() - 1).epoch();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}, if it is newer than every epoch known; an older or
     * equal epoch changes nothing. Appender only.
     */
    public void assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0) {
            return;
        }
        List<EpochEntry> current = entries;
        if (!current.isEmpty()) {
            EpochEntry last = current.get(current.size() - 1);
            if (epoch <= last.epoch()) {
                return;
            }
        }
        List<EpochEntry> updated = new ArrayList<>(current);
        updated.add(new EpochEntry(epoch, startOffset));
        replace(updated);
    }

    /**
     * The end of the largest epoch at or below {@code requestedEpoch}: the start of the next epoch, or
     * {@code logEndOffset} for the latest; undefined when every known epoch is newer.
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        List<EpochEntry> current = entries;
        for (int i = current.size() - 1; i >= 0; i--) {
            EpochEntry entry = current.get(i);
            if (entry.epoch() <= requestedEpoch) {
                long end = i == current.size() - 1
                        ? logEndOffset
                        : current.get(i + 1).startOffset();
                return new EpochEndOffset(entry.epoch(), end);
            }
        }
        return new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);
    }

    /** The epoch that wrote {@code offset}, or {@link #UNDEFINED_EPOCH}. */
    public int epochForOffset(long offset) {
        List<EpochEntry> current = entries;
        for (int i = current.size() - 1; i >= 0; i--) {
            if (current.get(i).startOffset() <= offset) {
                return current.get(i).epoch();
            }
        }
        return UNDEFINED_EPOCH;
    }

    /** Forgets epochs that start at or after {@code endOffset}, after the log was truncated there. */
    public void truncateFromEnd(long endOffset) throws IOException {
        List<EpochEntry> current = entries;
        List<EpochEntry> kept =
                current.stream().filter(e -> e.startOffset() < endOffset).toList();
        if (kept.size() != current.size()) {
            replace(kept);
        }
    }

    /**
     * Forgets epochs that ended before {@code startOffset}; the epoch holding it now starts there. Called when the log
     * start moves up.
     */
    public void truncateFromStart(long startOffset) throws IOException {
        List<EpochEntry> current = entries;
        int firstKept = 0;
        for (int i = 0; i < current.size(); i++) {
            if (current.get(i).startOffset() <= startOffset) {
                firstKept = i;
            }
        }
        if (current.isEmpty() || (firstKept == 0 && current.get(0).startOffset() >= startOffset)) {
            return;
        }
        List<EpochEntry> kept = new ArrayList<>(current.subList(firstKept, current.size()));
        kept.set(0, new EpochEntry(kept.get(0).epoch(), startOffset));
        replace(kept);
    }

    /** Writes the checkpoint as it is (after the cache was rebuilt from the log). */
    public void writeCheckpoint() throws IOException {
        replace(entries);
    }

    private void replace(List<EpochEntry> updated) throws IOException {
        StringBuilder text = new StringBuilder("0\n").append(updated.size()).append('\n');
        for (EpochEntry entry : updated) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        entries = List.copyOf(updated);
    }
}
