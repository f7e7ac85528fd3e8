package io.wharf.tests.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a killed broker's data directory look as a disk that lost writes leaves it: the newest segment of a
 * partition is cut back by a third (most likely in the middle of a batch, a torn tail) and the journal, which recovery
 * would otherwise replay the lost batches from, is emptied. This loses more than a power cut may (records the
 * broker had fsynced), so only a replica that the cluster holds elsewhere may be given it: the test of a follower
 * that must recover what it lost from its leader.
 */
final class LostTail {

    private LostTail() {}

    /** Cuts the tail of {@code topic}-{@code partition} in {@code dataDir}; returns how many bytes were cut. */
    static long cut(Path dataDir, String topic, int partition) throws IOException {
        Path partitionDir = dataDir.resolve(topic + "-" + partition);
        Path newest;
        try (Stream<Path> files = Files.list(partitionDir)) {
            newest = files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(f -> f.getFileName().toString()))
                    .orElseThrow(() -> new IllegalStateException("no segment in " + partitionDir));
        }
        long size = Files.size(newest);
        long kept = size * 2 / 3;
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            channel.truncate(kept);
        }
        Path journal = dataDir.resolve("journal");
        if (Files.isDirectory(journal)) {
            List<Path> entries;
            try (Stream<Path> files = Files.list(journal)) {
                entries = files.toList();
            }
            for (Path file : entries) {
                Files.delete(file);
            }
        }
        return size - kept;
    }
}
