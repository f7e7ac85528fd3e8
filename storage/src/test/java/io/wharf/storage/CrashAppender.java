package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.journal.JournalSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The process {@link CrashTest} kills: appends batches forever and prints {@code ACK <partition> <offset> <value>}
 * once a batch is durable, so the parent knows exactly what must survive. Pipelines several appends per fsync, like a
 * busy broker. {@code log} mode appends to one partition log on its own (it forces its segments); {@code journal}
 * mode to {@value #PARTITIONS} partitions of a {@link LogManager} with a small journal that rolls, checkpoints and
 * recycles its files while the appends go on.
 */
public final class CrashAppender {

    static final int PARTITIONS = 3;
    static final String TOPIC = "crash";

    private CrashAppender() {}

    /** The journal the crash test runs with: small files, a checkpoint every 200 ms. */
    static LogManager.Settings journalSettings() {
        return new LogManager.Settings(
                2,
                2,
                3_600_000,
                3_600_000,
                86_400_000,
                0,
                new JournalSettings(256 * 1024, 64 * 1024, 200, 1 << 20, 60_000));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        boolean journal = args.length > 2 && args[2].equals("journal");
        LogConfig config = LogFixture.smallSegments(64 * 1024);
        PartitionLog[] logs = new PartitionLog[journal ? PARTITIONS : 1];
        if (journal) {
            LogManager manager = LogManager.open(dir, journalSettings(), Clock.system(), tp -> config);
            for (int p = 0; p < PARTITIONS; p++) {
                logs[p] = manager.getOrCreate(new TopicPartition(TOPIC, p), config);
            }
        } else {
            ExecutorService flush = Executors.newSingleThreadExecutor();
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            logs[0] = PartitionLog.open(dir, config, new LogRuntime(Clock.system(), flush, scheduler));
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, UTF_8);
        for (int p = 0; p < logs.length; p++) {
            out.println("READY " + p + " " + logs[p].logEndOffset());
        }
        for (long i = 0; ; i++) {
            int partition = (int) (i % logs.length);
            String value = prefix + "-" + i;
            byte[] padding = new byte[(int) (i % 700)];
            AppendResult result = logs[partition].append(
                    RecordBatchBuilder.create()
                            .add(System.currentTimeMillis(), padding, value.getBytes(UTF_8))
                            .build(),
                    AppendOrigin.CLIENT,
                    0);
            CompletableFuture<Void> durable = logs[partition].flush(result.lastOffset() + 1);
            if (i % 4 == 3) {
                durable.get();
            }
            durable.thenRun(() -> out.println("ACK " + partition + " " + result.firstOffset() + " " + value));
        }
    }
}
