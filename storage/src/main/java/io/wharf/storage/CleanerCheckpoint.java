package io.wharf.storage;

import io.wharf.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the cleaner got to in a compacted log: every record below this offset has been compared with the keys of
 * everything up to it, so only the records from here on are dirty. A cache, replaced atomically: when it is lost the
 * whole log counts as dirty and the next pass cleans it again, which changes nothing that was already clean.
 *
 * <pre>
 * cleaner-checkpoint (text)   "0\n&lt;first dirty offset&gt;\n"
 * </pre>
 */
final class CleanerCheckpoint {

    static final String FILE = "cleaner-checkpoint";

    private CleanerCheckpoint() {}

    /** The stored first dirty offset, or -1 when there is none or it cannot be read. */
    static long read(Path dir) {
        try {
            String[] lines =
                    Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8).split("\n");
            return lines.length >= 2 && lines[0].equals("0") ? Long.parseLong(lines[1].trim()) : -1;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void write(Path dir, long firstDirtyOffset) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), ("0\n" + firstDirtyOffset + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
