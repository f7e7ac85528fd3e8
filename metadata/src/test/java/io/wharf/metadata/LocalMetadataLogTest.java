package io.wharf.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.TopicId;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.TopicRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract over the single node's file log, and what only it does: segments, snapshots by size, torn tails. */
class LocalMetadataLogTest extends MetadataLogContract {

    private long snapshotBytes = 1 << 20;

    @Override
    protected MetadataLog open(Path dir) throws IOException {
        return LocalMetadataLog.open(dir, 1, snapshotBytes);
    }

    @Override
    protected void snapshot(MetadataLog log) throws IOException {
        ((LocalMetadataLog) log).snapshot();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aGrowingLogIsSnapshottedAndItsOldSegmentsDeleted() throws Exception {
        snapshotBytes = 2_000;
        MetadataLog log = start();
        for (int i = 0; i < 200; i++) {
            log.append(1, List.of(new TopicRecord("topic-" + i, TopicId.random())))
                    .join();
        }
        List<String> files = files();
        assertThat(files.stream().filter(f -> f.endsWith(".snapshot"))).hasSize(1);
        assertThat(files.stream().filter(f -> f.endsWith(".log"))).hasSize(1);
        MetadataImage before = log.image();
        restart();
        assertThat(images.get(images.size() - 1)).isEqualTo(before);
    }

    @Test
    void aTornLastBatchIsCutOff() throws Exception {
        MetadataLog log = start();
        log.append(1, List.of(new TopicRecord("kept", TopicId.random()))).join();
        log.append(1, List.of(new TopicRecord("torn", TopicId.random()))).join();
        log.close();
        Path segment = dir.resolve(
                files().stream().filter(f -> f.endsWith(".log")).findFirst().orElseThrow());
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }
        images.clear();
        start();
        assertThat(images.get(images.size() - 1).topics()).containsOnlyKeys("kept");
    }

    @Test
    void theSingleFileOfOlderVersionsIsReadAsTheFirstSegment() throws Exception {
        MetadataLog log = start();
        log.append(1, List.of(new TopicRecord("old", TopicId.random()))).join();
        log.close();
        Path segment = dir.resolve(
                files().stream().filter(f -> f.endsWith(".log")).findFirst().orElseThrow());
        Files.move(segment, dir.resolve(LocalMetadataLog.LEGACY_FILE_NAME));
        images.clear();
        start();
        assertThat(images.get(images.size() - 1).topics()).containsOnlyKeys("old");
        assertThat(files()).doesNotContain(LocalMetadataLog.LEGACY_FILE_NAME);
    }
}
