package io.wharf.common.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that after a crash the reader finds either the old content or the new, never a mix: the bytes go
 * to a temporary file that is fsynced, renamed over the target atomically, and then the directory is fsynced so the
 * rename itself is durable.
 */
public final class AtomicFiles {

    /** The suffix of the temporary file; leftovers with it are garbage from a crash and may be deleted. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content}, durably. */
    public static void write(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        moveDurably(temp, target);
    }

    /** Renames {@code source} to {@code target} atomically, replacing it, and fsyncs the directory. */
    public static void moveDurably(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Makes the directory's entries (created, renamed and deleted files) durable. Opening a directory for reading
     * and forcing it works on Linux and macOS; where the platform refuses, there is nothing more a Java program can
     * do, so the refusal is ignored.
     */
    public static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!isDirectorySyncUnsupported(e)) {
                throw e;
            }
        }
    }

    private static boolean isDirectorySyncUnsupported(IOException e) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return os.contains("win");
    }
}
