package io.wharf.storage;

import io.wharf.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a partition log must know at open that its segments cannot tell it, kept in {@value #FILE_NAME} and replaced
 * atomically.
 *
 * <pre>
 * partition.state
 *   version 2
 *   log-start-offset 1200        records below this were deleted (DeleteRecords, retention)
 *   recovery-point 52341         every segment below this offset's segment is on disk: recovery starts there
 *   clean-shutdown true          the log was closed cleanly: no recovery at all
 *   log-id 7215119958337162817   this incarnation of the partition: its entries in the data directory's journal
 * </pre>
 *
 * <p>Version 1 had no {@code log-id}; such a log gets one when it opens. The log id is random and never reused, so
 * the journal entries of a partition that was deleted, or deleted and created again, match no directory and are not
 * replayed into the new one.
 *
 * @param logStartOffset the first offset a reader may fetch
 * @param recoveryPoint the offset from whose segment on an unclean open must validate batches
 * @param cleanShutdown whether the log was closed after flushing everything
 * @param logId the partition's id in the journal; 0 when the file did not have one
 */
record PartitionState(long logStartOffset, long recoveryPoint, boolean cleanShutdown, long logId) {

    static final String FILE_NAME = "partition.state";

    /** A fresh log id: random, never 0 (which means "none"). */
    static long newLogId() {
        long id;
        do {
            id = new java.security.SecureRandom().nextLong();
        } while (id == 0);
        return id;
    }

    /** The state in {@code dir}; empty when the file is missing or unreadable, which means "recover everything". */
    static Optional<PartitionState> read(Path dir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2) {
                fields.put(parts[0], parts[1]);
            }
        }
        try {
            String version = fields.get("version");
            if (!"1".equals(version) && !"2".equals(version)) {
                return Optional.empty();
            }
            return Optional.of(new PartitionState(
                    Long.parseLong(fields.get("log-start-offset")),
                    Long.parseLong(fields.get("recovery-point")),
                    Boolean.parseBoolean(fields.get("clean-shutdown")),
                    "2".equals(version) ? Long.parseLong(fields.get("log-id")) : 0));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    void write(Path dir) throws IOException {
        String text = "version 2\nlog-start-offset " + logStartOffset + "\nrecovery-point " + recoveryPoint
                + "\nclean-shutdown " + cleanShutdown + "\nlog-id " + logId + "\n";
        AtomicFiles.write(dir.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }
}
