package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.cleaner.LogCleaner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link CleanerCrashTest} kills: appends keyed records ({@code k<i % KEYS>} = {@code <prefix>-<i>}) to a
 * compacted partition of a {@link LogManager} forever while a cleaner thread cleans it as often as it can, and prints
 * {@code ACK <offset> <key> <value>} once a record is durable and {@code CLEANED <n>} after each pass.
 */
public final class CleanerCrashAppender {

    static final int KEYS = 40;
    static final TopicPartition PARTITION = new TopicPartition("compacted", 0);

    private CleanerCrashAppender() {}

    static LogConfig config() {
        return LogConfig.parse(Map.of(
                "segment.bytes", String.valueOf(16 * 1024),
                "cleanup.policy", "compact",
                "min.cleanable.dirty.ratio", "0.01",
                "file.delete.delay.ms", "1000"));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        LogManager manager = LogManager.open(dir, CrashAppender.journalSettings(), Clock.system(), tp -> config());
        PartitionLog log = manager.getOrCreate(PARTITION, config());
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, UTF_8);
        out.println("READY " + log.logEndOffset());
        Thread cleaner = new Thread(() -> clean(log, out), "cleaner");
        cleaner.setDaemon(true);
        cleaner.start();
        for (long i = 0; ; i++) {
            String key = "k" + (i % KEYS);
            String value = prefix + "-" + i + "-" + "x".repeat((int) (i % 200));
            AppendResult result = log.append(
                    RecordBatchBuilder.create()
                            .add(System.currentTimeMillis(), key.getBytes(UTF_8), value.getBytes(UTF_8))
                            .build(),
                    AppendOrigin.CLIENT,
                    0);
            CompletableFuture<Void> durable = log.flush(result.lastOffset() + 1);
            if (i % 4 == 3) {
                durable.get();
            }
            durable.thenRun(() -> {
                log.updateHighWatermark(result.lastOffset() + 1);
                out.println("ACK " + result.firstOffset() + " " + key + " " + value);
            });
        }
    }

    private static void clean(PartitionLog log, PrintStream out) {
        LogCleaner cleaner = new LogCleaner(
                new LogCleaner.Settings(false, 1, 1 << 20, Double.MAX_VALUE, 5, 1),
                Clock.system(),
                () -> java.util.List.of(log));
        for (int passes = 0; ; ) {
            try {
                if (cleaner.cleanDirtiest().isPresent()) {
                    out.println("CLEANED " + ++passes);
                } else {
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
