package io.wharf.storage.journal;

import io.wharf.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where replay of the journal starts, and how far each partition's segments were forced when that was decided; kept
 * in {@value #FILE_NAME} and replaced atomically after the segments were forced.
 *
 * <pre>
 * checkpoint
 *   version 1
 *   replay-from 7 1024           file sequence and position of the first entry recovery must replay
 *   flushed 8112343243 52341     per partition log id: every record below this offset was forced in its segments
 *   flushed -312381238 0
 * </pre>
 *
 * Every entry before {@code replay-from} is in a segment that was forced before this file was written, so the files
 * wholly before it may be recycled.
 *
 * @param replayFrom the LSN of the first entry to replay
 * @param flushedOffsets per log id, the log end offset its segments were forced to
 */
public record JournalCheckpoint(long replayFrom, Map<Long, Long> flushedOffsets) {

    public static final String FILE_NAME = "checkpoint";

    public JournalCheckpoint {
        flushedOffsets = Map.copyOf(flushedOffsets);
    }

    /** The checkpoint in {@code dir}; empty when there is none or it cannot be read, which means "replay all". */
    static Optional<JournalCheckpoint> read(Path dir) throws IOException {
        String text;
        try {
            text = Files.readString(dir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            String[] lines = text.split("\n");
            if (!lines[0].equals("version 1")) {
                return Optional.empty();
            }
            String[] replay = lines[1].split(" ");
            if (replay.length != 3 || !replay[0].equals("replay-from")) {
                return Optional.empty();
            }
            long replayFrom = JournalFormat.lsn(Long.parseLong(replay[1]), Integer.parseInt(replay[2]));
            Map<Long, Long> flushed = new TreeMap<>();
            for (int i = 2; i < lines.length; i++) {
                String[] parts = lines[i].split(" ");
                if (parts.length == 3 && parts[0].equals("flushed")) {
                    flushed.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                }
            }
            return Optional.of(new JournalCheckpoint(replayFrom, flushed));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The file's bytes, partitions in log id order. */
    byte[] encode() {
        StringBuilder text = new StringBuilder("version 1\nreplay-from ")
                .append(JournalFormat.fileSequence(replayFrom))
                .append(' ')
                .append(JournalFormat.position(replayFrom))
                .append('\n');
        new TreeMap<>(flushedOffsets)
                .forEach((logId, offset) -> text.append("flushed ")
                        .append(logId)
                        .append(' ')
                        .append(offset)
                        .append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), encode());
    }
}
