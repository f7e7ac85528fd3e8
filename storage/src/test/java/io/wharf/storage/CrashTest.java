package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that appends with group-commit fsync (SIGKILL, no chance to clean up), three times in a row, and
 * checks after each kill that every batch reported durable is still there with its offset and value, that nothing
 * damaged is served, and that the next process appends where the recovered log ends.
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
            Child child = Child.start(dir, "round" + round);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> child.acks.size() >= 400);
            } finally {
                child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(child.readyAt.get())
                    .as("the child started at the recovered end")
                    .isEqualTo(recoveredEnd);
            acknowledged.putAll(child.acks);

            PartitionLog log = fixture.open(dir, LogFixture.smallSegments(64 * 1024));
            assertThat(log.recoveryCases()).doesNotContain(RecoveryCase.CLEAN_SHUTDOWN);
            long maxAcked = acknowledged.keySet().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElseThrow();
            assertThat(log.logEndOffset()).isGreaterThan(maxAcked);
            assertEveryBatchIntact(log);
            Map<Long, String> stored = new HashMap<>();
            for (Record record : LogFixture.readAll(log)) {
                stored.put(record.offset(), new String(record.value(), UTF_8));
            }
            assertThat(stored).containsAllEntriesOf(acknowledged);
            recoveredEnd = log.logEndOffset();
            log.close();
        }
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

    /** The appender process and what it printed. */
    private record Child(Process process, Map<Long, String> acks, AtomicLong readyAt) {

        static Child start(Path dir, String prefix) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashAppender.class.getName(),
                            dir.toString(),
                            prefix)
                    .redirectErrorStream(true)
                    .start();
            Child child = new Child(process, new ConcurrentHashMap<>(), new AtomicLong(-1));
            Thread reader = new Thread(() -> child.read(process), "crash-child-reader");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        private void read(Process process) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    List<String> parts = List.of(line.split(" "));
                    if (parts.size() == 3 && parts.get(0).equals("ACK")) {
                        acks.put(Long.parseLong(parts.get(1)), parts.get(2));
                    } else if (parts.size() == 2 && parts.get(0).equals("READY")) {
                        readyAt.set(Long.parseLong(parts.get(1)));
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
        }
    }
}
