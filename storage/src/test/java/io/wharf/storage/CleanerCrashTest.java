package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.protocol.record.BatchStructure;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Record;
import io.wharf.storage.segment.LogSegment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a process that appends to a compacted log while its cleaner runs pass after pass, at a random
 * moment, three times, and checks after each kill: nothing a crash may leave half-done is left, every batch served is
 * intact and holds a record as it was appended, and every acknowledged record is still there or replaced by a later
 * record of its key.
 */
class CleanerCrashTest {

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @Test
    void aCleanerKilledAtAnyMomentLosesNoLatestValue() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<Long, String[]> acknowledged = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            Child child = Child.start(dir, "round" + round);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> child.passes.get() >= 3 && child.acks.size() >= 300);
                Thread.sleep(random.nextInt(400));
            } finally {
                child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            acknowledged.putAll(child.acks);

            try (LogManager manager = LogManager.open(
                    dir, CrashAppender.journalSettings(), fixture.clock, tp -> CleanerCrashAppender.config())) {
                PartitionLog log = manager.log(CleanerCrashAppender.PARTITION).orElseThrow();
                assertHolds(log, acknowledged, "seed " + seed + ", round " + round);
            }
            try (Stream<Path> files = Files.list(dir.resolve(CleanerCrashAppender.PARTITION.toString()))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.endsWith(LogSegment.CLEANED_SUFFIX) || n.equals(CleanerSwap.MANIFEST));
            }
        }
    }

    private static void assertHolds(PartitionLog log, Map<Long, String[]> acknowledged, String context) {
        assertEveryBatchIntact(log);
        Map<Long, Record> served = new HashMap<>();
        Map<String, Long> latestServed = new HashMap<>();
        for (Record record : LogFixture.readAll(log)) {
            String key = new String(record.key(), UTF_8);
            String value = new String(record.value(), UTF_8);
            long index = Long.parseLong(value.split("-")[1]);
            assertThat(key).as(context).isEqualTo("k" + (index % CleanerCrashAppender.KEYS));
            served.put(record.offset(), record);
            latestServed.merge(key, record.offset(), Math::max);
        }
        for (Map.Entry<Long, String[]> ack : acknowledged.entrySet()) {
            Record record = served.get(ack.getKey());
            if (record != null) {
                assertThat(new String(record.value(), UTF_8)).as(context).isEqualTo(ack.getValue()[1]);
            } else {
                assertThat(latestServed.getOrDefault(ack.getValue()[0], -1L))
                        .as(
                                "%s: acknowledged %s at %d is replaced by a later record",
                                context, ack.getValue()[0], ack.getKey())
                        .isGreaterThan(ack.getKey());
            }
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
    private record Child(Process process, Map<Long, String[]> acks, AtomicInteger passes) {

        static Child start(Path dir, String prefix) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CleanerCrashAppender.class.getName(),
                            dir.toString(),
                            prefix)
                    .redirectErrorStream(true)
                    .start();
            Child child = new Child(process, new ConcurrentHashMap<>(), new AtomicInteger());
            Thread reader = new Thread(() -> child.read(process), "cleaner-crash-child-reader");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        private void read(Process process) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    List<String> parts = List.of(line.split(" "));
                    if (parts.size() == 4 && parts.get(0).equals("ACK")) {
                        acks.put(Long.parseLong(parts.get(1)), new String[] {parts.get(2), parts.get(3)});
                    } else if (parts.size() == 2 && parts.get(0).equals("CLEANED")) {
                        passes.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
        }
    }
}
