package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A data directory on a real file system that runs out of space (a small tmpfs, mounted for the test; skipped where
 * the test may not mount one): an append that cannot be made durable fails with KAFKA_STORAGE_ERROR and changes
 * nothing, what was acknowledged before stays readable, appends work again once there is room, and a crash after it
 * all brings back exactly what was acknowledged.
 */
class DiskFullTest {

    private final List<Path> mounts = new ArrayList<>();
    private JournalFixture fixture;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        Path data = mount(Files.createTempDirectory("wharf-full-disk"), "4m");
        fixture = new JournalFixture(data.resolve("data"), LogFixture.smallSegments(1 << 20));
    }

    private Path mount(Path at, String size) throws Exception {
        Files.createDirectories(at);
        Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
                .redirectErrorStream(true)
                .start();
        boolean mounted = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here");
        mounts.add(0, at);
        return at;
    }

    /** Lazily: the logs' memory-mapped indexes keep the file system busy until they are collected. */
    @AfterEach
    void unmount() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        for (Path at : mounts) {
            new ProcessBuilder("umount", "-l", at.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
        if (!mounts.isEmpty()) {
            Files.deleteIfExists(mounts.get(mounts.size() - 1));
        }
    }

    @Test
    void aSegmentThatCannotGrowRefusesTheAppend() throws Exception {
        fixture.open();
        checkRefusalLeavesNothing(fixture.dataDir.getParent());
    }

    @Test
    void aJournalThatCannotGetAFileRefusesTheAppend() throws Exception {
        // The journal on a disk of its own, filled once its first files are made; the segments have room.
        Path journal = mount(fixture.dataDir.resolve(LogManager.JOURNAL_DIR), "256k");
        fixture.open();
        checkRefusalLeavesNothing(journal);
    }

    private void checkRefusalLeavesNothing(Path diskToFill) throws Exception {
        PartitionLog log = fixture.log();
        List<String> acknowledged = new ArrayList<>();
        appendAcknowledged(log, acknowledged, 20);
        Path filler = fill(diskToFill.resolve("filler"));

        LogException refused = null;
        for (int i = 0; i < 10_000 && refused == null; i++) {
            long endBefore = log.logEndOffset();
            long sizeBefore = log.sizeInBytes();
            try {
                appendAcknowledged(log, acknowledged, 1);
            } catch (LogException e) {
                refused = e;
                assertThat(log.logEndOffset()).as("nothing appended").isEqualTo(endBefore);
                assertThat(log.sizeInBytes()).isEqualTo(sizeBefore);
            }
        }

        assertThat(refused).as("the disk filled up").isNotNull();
        assertThat(refused.error()).isEqualTo(LogError.KAFKA_STORAGE_ERROR);
        assertThat(LogFixture.values(LogFixture.readAll(log))).as("reads go on").isEqualTo(acknowledged);

        Files.delete(filler);
        appendAcknowledged(log, acknowledged, 5);
        fixture.crash();

        PartitionLog recovered = fixture.open().log(JournalFixture.TP).orElseThrow();
        assertThat(LogFixture.values(LogFixture.readAll(recovered))).isEqualTo(acknowledged);
    }

    private void appendAcknowledged(PartitionLog log, List<String> acknowledged, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String value = "v" + acknowledged.size() + "-" + "x".repeat(900);
            log.append(fixture.batch(value), AppendOrigin.CLIENT, 0);
            log.flush(log.logEndOffset()).get(10, TimeUnit.SECONDS);
            acknowledged.add(value);
        }
    }

    /** Writes a file until the disk is full. */
    private static Path fill(Path filler) throws IOException {
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(4096);
            try {
                while (true) {
                    channel.write(chunk.clear());
                }
            } catch (IOException e) {
                // full
            }
        }
        return filler;
    }
}
