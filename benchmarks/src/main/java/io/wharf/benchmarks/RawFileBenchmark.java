package io.wharf.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The disk's own rate through the JDK: the same batch bytes written with {@code FileChannel.write} to a fresh file,
 * a new file every 1 GiB, no validation, no index and no fsync. The baseline the log's append rate is judged by.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawFileBenchmark {

    private static final long FILE_BYTES = 1L << 30;

    private Path dir;
    private ByteBuffer batch;
    private FileChannel channel;
    private long position;
    private int files;

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dir = BenchFiles.newScratchDir("raw");
        batch = BenchFiles.batch();
        nextFile();
    }

    private void nextFile() throws IOException {
        if (channel != null) {
            channel.close();
        }
        channel = FileChannel.open(
                dir.resolve("file-" + files++),
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        position = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        channel.close();
        channel = null;
        BenchFiles.deleteRecursively(dir);
    }

    /** One 16 KiB batch written at the end of the file. */
    @Benchmark
    public long write() throws IOException {
        if (position + batch.remaining() > FILE_BYTES) {
            nextFile();
        }
        ByteBuffer source = batch.duplicate();
        while (source.hasRemaining()) {
            position += channel.write(source, position);
        }
        return position;
    }
}
