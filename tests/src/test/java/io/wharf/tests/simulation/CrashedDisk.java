package io.wharf.tests.simulation;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.BatchView;
import io.wharf.storage.LogSlice;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a crashed broker's data directory holds when it starts again. A process kill loses nothing written: the page
 * cache survives it. A power loss loses what was not fsynced: each partition log is cut at a batch boundary drawn
 * between its durable offset and its end, and the cut may leave the next batch half written or a run of zeros (what
 * a preallocated tail leaves) behind it; segments wholly past the cut are empty files (their creation was made
 * durable when they were rolled), or keep some of what was written to them (the page cache wrote them back first),
 * which leaves a hole recovery must not read past. Every other file (indexes, producer snapshots, the epoch checkpoint, the partition
 * state, files renamed for deletion) is kept as it was, as their own writes made them durable or recovery treats
 * them as caches.
 *
 * <p>The surviving directory is a copy, so that the crashed broker's logs can then be closed (freeing their files)
 * without their close touching what the next incarnation opens.
 */
final class CrashedDisk {

    private CrashedDisk() {}

    /** Copies {@code from} into {@code to} as the crash leaves it; {@code logs} are the logs open in {@code from}. */
    static void copy(Simulation sim, Path from, Path to, Map<TopicPartition, PartitionLog> logs, boolean powerLoss) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> partitions = Files.list(from)) {
                for (Path dir : partitions.sorted().toList()) {
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    Path target = to.resolve(dir.getFileName());
                    copyFiles(dir, target);
                    PartitionLog log =
                            logs.get(TopicPartition.parse(dir.getFileName().toString()));
                    if (powerLoss && log != null) {
                        loseUnsyncedTail(sim, log, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.sorted().toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /** Cuts the copy of {@code log} in {@code dir} at a batch boundary at or after its durable offset. */
    private static void loseUnsyncedTail(Simulation sim, PartitionLog log, Path dir) throws IOException {
        long end = log.logEndOffset();
        List<Long> boundaries = boundaries(log, log.durableOffset(), end);
        long cut = sim.pick(boundaries);
        if (cut >= end) {
            return;
        }
        List<Long> bases = log.segmentBaseOffsets();
        long base = bases.stream()
                .filter(b -> b <= cut)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        LogSlice slice = log.read(cut, 1, Long.MAX_VALUE, true);
        int position = (int) slice.position();
        Path segment = dir.resolve(segmentName(base));
        byte[] bytes = Files.readAllBytes(segment);
        byte[] tail = tail(sim, bytes, position, slice.sizeInBytes());
        byte[] kept = Arrays.copyOf(bytes, position + tail.length);
        System.arraycopy(tail, 0, kept, position, tail.length);
        Files.write(segment, kept);
        for (long later : bases) {
            if (later > base) {
                Path file = dir.resolve(segmentName(later));
                byte[] written = Files.readAllBytes(file);
                // The page cache writes files back in no particular order: a later segment may keep some of what
                // was written to it, behind the hole the cut left.
                int keep = sim.chance(0.7) || written.length == 0 ? 0 : sim.between(0, written.length);
                Files.write(file, Arrays.copyOf(written, keep));
                if (keep > 0) {
                    sim.count("power losses that kept writes past a hole");
                }
            }
        }
        sim.count("power losses that cut a log");
        if (tail.length > 0) {
            sim.count("logs left with debris past the cut");
        }
        sim.note("  " + dir.getFileName() + " loses offsets " + cut + ".." + (end - 1) + " (durable "
                + log.durableOffset() + ")" + (tail.length > 0 ? ", leaving " + tail.length + " bytes of debris" : ""));
    }

    /** Half of the next batch, zeros, or nothing, as the power loss happens to leave behind the cut. */
    private static byte[] tail(Simulation sim, byte[] segment, int position, int firstBatchBytes) {
        int choice = sim.between(0, 2);
        if (choice == 1 && firstBatchBytes > 1) {
            int length = sim.between(1, Math.min(firstBatchBytes, segment.length - position) - 1);
            return Arrays.copyOfRange(segment, position, position + length);
        }
        if (choice == 2) {
            return new byte[sim.between(1, 2_048)];
        }
        return new byte[0];
    }

    /** The offsets in {@code [from, end]} at which a batch starts, and {@code end}. */
    private static List<Long> boundaries(PartitionLog log, long from, long end) {
        List<Long> boundaries = new ArrayList<>();
        long offset = from;
        BatchView view = new BatchView();
        if (offset < end) {
            ByteBuffer first = log.read(offset, 1, Long.MAX_VALUE, true).readFully();
            view.wrap(first, first.position());
            if (view.baseOffset() < offset) {
                offset = view.lastOffset() + 1;
            }
        }
        boundaries.add(offset);
        while (offset < end) {
            ByteBuffer batch = log.read(offset, 1, Long.MAX_VALUE, true).readFully();
            view.wrap(batch, batch.position());
            offset = view.lastOffset() + 1;
            boundaries.add(offset);
        }
        return boundaries;
    }

    private static String segmentName(long base) {
        return String.format("%020d.log", base);
    }

    /** Deletes {@code dir} and everything in it. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
