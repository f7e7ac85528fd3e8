package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.BatchStructure;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Record;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that appends with group-commit fsync (SIGKILL, no chance to clean up), three times in a row, and
 * checks after each kill that every batch reported durable is still there with its offset and value, that nothing
 * damaged is served, and that the next process appends where the recovered log ends: once for a partition log on its
 * own, once for the partitions of a {@link LogManager} and its journal.
 */
class CrashTest {

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @Test
    void everyDurableBatchSurvivesSigkill() throws Exception {
        Map<Long, String> acknowledged = new HashMap<>();
        long recoveredEnd = 0;
        for (int round = 0; round < 3; round++) {
            Child child = runAndKill(dir, "round" + round, "log");
            assertThat(child.readyAt.get(0L))
                    .as("the child started at the recovered end")
                    .isEqualTo(recoveredEnd);
            acknowledged.putAll(child.acks.getOrDefault(0, Map.of()));

            PartitionLog log = fixture.open(dir, LogFixture.smallSegments(64 * 1024));
            assertThat(log.recoveryCases()).doesNotContain(RecoveryCase.CLEAN_SHUTDOWN);
            assertHolds(log, acknowledged);
            recoveredEnd = log.logEndOffset();
            log.close();
        }
    }

    /**
     * The same through a {@link LogManager}'s journal, over several partitions, with the journal rolling, checkpointing
     * and recycling its files while the child runs.
     */
    @Test
    void everyDurableBatchSurvivesSigkillWithTheJournal() throws Exception {
        Map<Integer, Map<Long, String>> acknowledged = new HashMap<>();
        Map<Integer, Long> recoveredEnds = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            Child child = runAndKill(dir, "round" + round, "journal");
            for (int p = 0; p < CrashAppender.PARTITIONS; p++) {
                assertThat(child.readyAt.get((long) p))
                        .as("partition %d started at the recovered end", p)
                        .isEqualTo(recoveredEnds.getOrDefault(p, 0L));
                acknowledged.computeIfAbsent(p, k -> new HashMap<>()).putAll(child.acks.getOrDefault(p, Map.of()));
            }

            try (LogManager manager = LogManager.open(
                    dir, CrashAppender.journalSettings(), fixture.clock, tp -> LogFixture.smallSegments(64 * 1024))) {
                for (int p = 0; p < CrashAppender.PARTITIONS; p++) {
                    PartitionLog log = manager.log(new TopicPartition(CrashAppender.TOPIC, p))
                            .orElseThrow();
                    assertThat(log.recoveryCases()).doesNotContain(RecoveryCase.CLEAN_SHUTDOWN);
                    assertHolds(log, acknowledged.get(p));
                    recoveredEnds.put(p, log.logEndOffset());
                }
            }
        }
    }

    private static Child runAndKill(Path dir, String prefix, String mode) throws Exception {
        Child child = Child.start(dir, prefix, mode);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> child.ackCount() >= 400);
        } finally {
            child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        return child;
    }

    private static void assertHolds(PartitionLog log, Map<Long, String> acknowledged) {
        long maxAcked =
                acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(log.logEndOffset()).isGreaterThan(maxAcked);
        assertEveryBatchIntact(log);
        Map<Long, String> stored = new HashMap<>();
        for (Record record : LogFixture.readAll(log)) {
            stored.put(record.offset(), new String(record.value(), UTF_8));
        }
        assertThat(stored).containsAllEntriesOf(acknowledged);
    }

    private static void assertEveryBatchIntact(PartitionLog log) {
        long offset = log.logStartOffset();
        BatchView view = new BatchView();
        while (offset < log.logEndOffset()) {
            ByteBuffer bytes = log.read(offset, 64 * 1024, Long.MAX_VALUE, true).readFully();
            int position = 0;
            while (position < bytes.limit()) {
                view.wrap(bytes, position);
                position += BatchStructure.check(view, bytes.limit() - position);
                offset = view.lastOffset() + 1;
            }
        }
    }

    /** The appender process and what it printed: acknowledged offsets per partition, where each started. */
    private record Child(Process process, Map<Integer, Map<Long, String>> acks, Map<Long, Long> readyAt) {

        static Child start(Path dir, String prefix, String mode) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashAppender.class.getName(),
                            dir.toString(),
                            prefix,
                            mode)
                    .redirectErrorStream(true)
                    .start();
            Child child = new Child(process, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
            Thread reader = new Thread(() -> child.read(process), "crash-child-reader");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        int ackCount() {
            return acks.values().stream().mapToInt(Map::size).sum();
        }

        private void read(Process process) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    List<String> parts = List.of(line.split(" "));
                    if (parts.size() == 4 && parts.get(0).equals("ACK")) {
                        acks.computeIfAbsent(Integer.parseInt(parts.get(1)), p -> new ConcurrentHashMap<>())
                                .put(Long.parseLong(parts.get(2)), parts.get(3));
                    } else if (parts.size() == 3 && parts.get(0).equals("READY")) {
                        readyAt.put(Long.parseLong(parts.get(1)), Long.parseLong(parts.get(2)));
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
        }
    }
}
