package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.common.Clock;
import io.wharf.protocol.record.RecordBatchBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The process {@link CrashTest} kills: appends batches forever and prints {@code ACK <offset> <value>} once a batch is
 * durable, so the parent knows exactly what must survive. Pipelines several appends per fsync, like a busy broker.
 */
public final class CrashAppender {

    private CrashAppender() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        ExecutorService flush = Executors.newSingleThreadExecutor();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        LogConfig config = LogFixture.smallSegments(64 * 1024);
        PartitionLog log = PartitionLog.open(dir, config, new LogRuntime(Clock.system(), flush, scheduler));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, UTF_8);
        out.println("READY " + log.logEndOffset());
        for (long i = 0; ; i++) {
            String value = prefix + "-" + i;
            byte[] padding = new byte[(int) (i % 700)];
            AppendResult result = log.append(
                    RecordBatchBuilder.create()
                            .add(System.currentTimeMillis(), padding, value.getBytes(UTF_8))
                            .build(),
                    AppendOrigin.CLIENT,
                    0);
            CompletableFuture<Void> durable = log.flush(result.lastOffset() + 1);
            if (i % 4 == 3) {
                durable.get();
            }
            durable.thenRun(() -> out.println("ACK " + result.firstOffset() + " " + value));
        }
    }
}
