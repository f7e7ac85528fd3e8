package io.wharf.storage;

import io.wharf.common.io.AtomicFiles;
import io.wharf.storage.segment.LogSegment;
import io.wharf.storage.segment.TransactionIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The crash-safe swap of cleaned segments for the segments they replace, and its recovery. The commit point is the
 * manifest {@value #MANIFEST}, written atomically once every cleaned file is fsynced:
 *
 * <pre>
 * cleaner-swap (text)       version 1
 *                           old &lt;base offset&gt; …     the segments replaced
 *                           new &lt;base offset&gt; …     the cleaned segments, as &lt;base&gt;.log.cleaned (+ indexes)
 * </pre>
 *
 * <ol>
 *   <li>the cleaned segments are written as {@code *.cleaned} files and fsynced, with the directory;
 *   <li>the manifest is written (temporary file, fsync, rename, directory fsync): the swap is decided;
 *   <li>the old segments' files are renamed to {@code *.deleted}, then the directory is fsynced;
 *   <li>each cleaned segment's indexes, then its log, lose the {@code .cleaned} suffix; the directory is fsynced;
 *   <li>the manifest is deleted.
 * </ol>
 *
 * <p>Recovery ({@link #recover}): without a manifest, any {@code *.cleaned} file belongs to a swap that was never
 * decided and is deleted, leaving the old segments ({@link RecoveryCase#CLEANER_SWAP_ROLLED_BACK}). With one, the
 * swap is finished: an old segment that is not also a new base goes, and every {@code .cleaned} file still there
 * replaces the file of its final name ({@link RecoveryCase#CLEANER_SWAP_COMPLETED}). Since step 3 ends before step 4
 * starts, a final-named file whose {@code .cleaned} twin is gone is already the new one. Either way the log holds
 * the old segments or the new, never both and never neither.
 */
final class CleanerSwap {

    static final String MANIFEST = "cleaner-swap";
    private static final List<String> SUFFIXES = List.of(
            LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX, TransactionIndex.SUFFIX, LogSegment.LOG_SUFFIX);

    /** The steps of a swap after which a test may make it fail, as a crash there would. */
    enum Step {
        CLEANED_WRITTEN,
        MANIFEST_WRITTEN,
        OLD_PARTLY_RENAMED,
        OLD_RENAMED,
        NEW_PARTLY_RENAMED,
        NEW_RENAMED,
        MANIFEST_DELETED
    }

    /** Called after each step; a test's hook throws to stop the swap there. */
    @FunctionalInterface
    interface Faults {
        Faults NONE = step -> {};

        void reached(Step step) throws IOException;
    }

    /** The base offsets of the segments replaced and of the cleaned ones replacing them. */
    record Plan(List<Long> oldBases, List<Long> newBases) {

        String encode() {
            return "version 1\nold " + join(oldBases) + "\nnew " + join(newBases) + "\n";
        }

        static Plan decode(String text) throws IOException {
            String[] lines = text.split("\n");
            if (lines.length < 3
                    || !lines[0].equals("version 1")
                    || !lines[1].startsWith("old ")
                    || !lines[2].startsWith("new ")) {
                throw new IOException("unreadable " + MANIFEST + ": " + text);
            }
            return new Plan(parse(lines[1].substring(4)), parse(lines[2].substring(4)));
        }

        private static String join(List<Long> bases) {
            return String.join(" ", bases.stream().map(String::valueOf).toList());
        }

        private static List<Long> parse(String text) {
            return Arrays.stream(text.trim().split(" ")).map(Long::parseLong).toList();
        }
    }

    private CleanerSwap() {}

    /** Step 2: decides the swap, durably. */
    static void writeManifest(Path dir, Plan plan) throws IOException {
        AtomicFiles.write(dir.resolve(MANIFEST), plan.encode().getBytes(StandardCharsets.UTF_8));
    }

    /** Step 5: the swap is over. */
    static void deleteManifest(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(MANIFEST));
        AtomicFiles.fsyncDirectory(dir);
    }

    /**
     * Finishes or undoes a swap a crash interrupted, before the segments are loaded.
     *
     * @return what was done, if anything
     */
    static Optional<RecoveryCase> recover(Path dir) throws IOException {
        Optional<Plan> plan = readManifest(dir);
        if (plan.isEmpty()) {
            List<Path> cleaned = cleanedFiles(dir);
            for (Path file : cleaned) {
                Files.deleteIfExists(file);
            }
            if (cleaned.isEmpty()) {
                return Optional.empty();
            }
            AtomicFiles.fsyncDirectory(dir);
            return Optional.of(RecoveryCase.CLEANER_SWAP_ROLLED_BACK);
        }
        for (long base : plan.get().oldBases()) {
            if (!plan.get().newBases().contains(base)) {
                for (String suffix : SUFFIXES) {
                    Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, suffix)));
                }
            }
        }
        AtomicFiles.fsyncDirectory(dir);
        for (long base : plan.get().newBases()) {
            for (String suffix : SUFFIXES) {
                Path cleaned = dir.resolve(LogSegment.fileName(base, suffix + LogSegment.CLEANED_SUFFIX));
                if (Files.exists(cleaned)) {
                    Files.move(
                            cleaned,
                            dir.resolve(LogSegment.fileName(base, suffix)),
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        AtomicFiles.fsyncDirectory(dir);
        for (Path file : cleanedFiles(dir)) {
            Files.deleteIfExists(file);
        }
        deleteManifest(dir);
        return Optional.of(RecoveryCase.CLEANER_SWAP_COMPLETED);
    }

    private static Optional<Plan> readManifest(Path dir) throws IOException {
        try {
            return Optional.of(Plan.decode(Files.readString(dir.resolve(MANIFEST), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static List<Path> cleanedFiles(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(LogSegment.CLEANED_SUFFIX))
                    .forEach(found::add);
        }
        return found;
    }
}
