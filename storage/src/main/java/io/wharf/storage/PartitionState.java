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
 *   version 1
 *   log-start-offset 1200        records below this were deleted (DeleteRecords, retention)
 *   recovery-point 52341         every segment below this offset's segment is on disk: recovery starts there
 *   clean-shutdown true          the log was closed cleanly: no recovery at all
 * </pre>
 *
 * @param logStartOffset the first offset a reader may fetch
 * @param recoveryPoint the offset from whose segment on an unclean open must validate batches
 * @param cleanShutdown whether the log was closed after flushing everything
 */
record PartitionState(long logStartOffset, long recoveryPoint, boolean cleanShutdown) {

    static final String FILE_NAME = "partition.state";

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
            if (!"1".equals(fields.get("version"))) {
                return Optional.empty();
            }
            return Optional.of(new PartitionState(
                    Long.parseLong(fields.get("log-start-offset")),
                    Long.parseLong(fields.get("recovery-point")),
                    Boolean.parseBoolean(fields.get("clean-shutdown"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    void write(Path dir) throws IOException {
        String text = "version 1\nlog-start-offset " + logStartOffset + "\nrecovery-point " + recoveryPoint
                + "\nclean-shutdown " + cleanShutdown + "\n";
        AtomicFiles.write(dir.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }
}
