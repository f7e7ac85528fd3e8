package io.wharf.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Creates and deletes the temporary data directories of embedded brokers. Stateless; any thread. */
final class TempDirs {

    private static final String PREFIX = "wharf-embedded-";

    private TempDirs() {}

    static Path create() {
        try {
            return Files.createTempDirectory(PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for an embedded broker", e);
        }
    }

    /** Deletes {@code dir} and everything under it; a file that is already gone is not an error. */
    static void delete(Path dir) {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            // Children before parents, so each directory is empty when its turn comes.
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + " to delete it", e);
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
    }

    /** {@link #delete(Path)} for clean-up after another failure, which must not be hidden by this one. */
    static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (UncheckedIOException ignored) {
            // The start-up failure being reported matters more than a leftover temporary directory.
        }
    }
}
