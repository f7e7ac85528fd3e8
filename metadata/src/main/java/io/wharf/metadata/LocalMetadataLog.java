package io.wharf.metadata;

import io.wharf.common.io.AtomicFiles;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.MetadataRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log of a single node, which always leads it (in epoch {@value #EPOCH}): segment files of batches, each
 * fsynced before it counts, and a snapshot that lets older segments go.
 *
 * <pre>
 * &lt;dir&gt;/
 *   00000000000000000000.log        batches from offset 0 (the file of older versions, metadata.log, is renamed so)
 *   00000000000000001234.snapshot   the image after the batch at offset 1234 ({@link MetadataSnapshotFile})
 *   00000000000000001235.log        batches from offset 1235 on
 *
 *   batch:   int32 payload length, int32 CRC32C of the payload, payload
 *   payload: int32 record count, then per record: int32 length, record bytes
 * </pre>
 *
 * <p>Once the active segment passes {@code snapshotBytes}, the image is written as a snapshot, a new segment starts
 * after it, and older segments and snapshots are deleted, so start-up time and disk do not grow with the log's age. At
 * open the newest whole snapshot is loaded and the batches after it replayed; a torn or damaged batch and everything
 * after it is cut off (it was never acknowledged: a batch counts only after its fsync).
 *
 * <p>Threads: appends come from one thread at a time (the controller's); the listener is called on that thread.
 */
public final class LocalMetadataLog implements MetadataLog {

    /** The name of the single file older versions kept the whole log in. */
    public static final String LEGACY_FILE_NAME = "metadata.log";

    static final int EPOCH = 1;

    private static final Logger log = LoggerFactory.getLogger(LocalMetadataLog.class);
    private static final int MAX_BATCH_BYTES = 64 << 20;
    private static final String LOG_SUFFIX = ".log";
    private static final String SNAPSHOT_SUFFIX = ".snapshot";

    private final Path dir;
    private final int nodeId;
    private final long snapshotBytes;
    private Listener listener;
    private FileChannel active;
    private long activeSize;
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private volatile boolean started;

    private LocalMetadataLog(Path dir, int nodeId, long snapshotBytes) {
        this.dir = dir;
        this.nodeId = nodeId;
        this.snapshotBytes = snapshotBytes;
    }

    /**
     * Opens (or creates) the log in {@code dir}.
     *
     * @param snapshotBytes the size of the active segment past which the image is snapshotted
     */
    public static LocalMetadataLog open(Path dir, int nodeId, long snapshotBytes) throws IOException {
        Files.createDirectories(dir);
        Path legacy = dir.resolve(LEGACY_FILE_NAME);
        if (Files.exists(legacy)) {
            AtomicFiles.moveDurably(legacy, dir.resolve(name(0, LOG_SUFFIX)));
        }
        return new LocalMetadataLog(dir, nodeId, snapshotBytes);
    }

    private static String name(long offset, String suffix) {
        return String.format("%020d%s", offset, suffix);
    }

    private static long offsetOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - suffix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private TreeMap<Long, Path> files(String suffix) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.filter(p -> p.getFileName().toString().endsWith(suffix)).forEach(p -> {
                long offset = offsetOf(p, suffix);
                if (offset >= 0) {
                    files.put(offset, p);
                }
            });
        }
        return files;
    }

    @Override
    public synchronized void start(Listener newListener) throws IOException {
        if (started) {
            throw new IllegalStateException("the metadata log is started already");
        }
        this.listener = newListener;
        MetadataImage loaded = loadNewestSnapshot();
        TreeMap<Long, Path> segments = files(LOG_SUFFIX);
        long nextOffset = loaded.offset() + 1;
        Path last = null;
        boolean cut = false;
        for (var entry : segments.entrySet()) {
            if (cut) {
                log.warn("Deleting {}: it follows a damaged batch", entry.getValue());
                Files.delete(entry.getValue());
                continue;
            }
            Long following = segments.higherKey(entry.getKey());
            if (following != null && following <= loaded.offset() + 1) {
                Files.delete(entry.getValue());
                continue;
            }
            if (entry.getKey() > nextOffset) {
                throw new IOException("the metadata log in " + dir + " has a hole before " + entry.getValue());
            }
            Replay replay = replay(entry.getValue(), entry.getKey(), loaded);
            loaded = replay.image;
            nextOffset = Math.max(nextOffset, replay.nextOffset);
            cut = replay.cut;
            last = entry.getValue();
        }
        if (last == null) {
            last = dir.resolve(name(nextOffset, LOG_SUFFIX));
        }
        active = FileChannel.open(last, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        activeSize = active.size();
        AtomicFiles.fsyncDirectory(dir);
        image = loaded;
        started = true;
        listener.onImage(MetadataImage.EMPTY, loaded);
        listener.onLeader(new LeaderAndEpoch(nodeId, EPOCH));
    }

    private MetadataImage loadNewestSnapshot() throws IOException {
        for (Path snapshot : files(SNAPSHOT_SUFFIX).descendingMap().values()) {
            try {
                MetadataImage loaded = MetadataSnapshotFile.read(snapshot);
                if (loaded.offset() == offsetOf(snapshot, SNAPSHOT_SUFFIX)) {
                    return loaded;
                }
                log.warn("Ignoring {}: it holds offset {}", snapshot, loaded.offset());
            } catch (IOException e) {
                log.warn("Ignoring the metadata snapshot {}: {}", snapshot, e.getMessage());
            }
        }
        return MetadataImage.EMPTY;
    }

    private record Replay(MetadataImage image, long nextOffset, boolean cut) {}

    /** Applies the batches of one segment that come after {@code from}'s offset; cuts the file after the last good one. */
    private static Replay replay(Path file, long baseOffset, MetadataImage from) throws IOException {
        MetadataImage current = from;
        long offset = baseOffset;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long fileSize = channel.size();
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(8);
            while (position + 8 <= fileSize) {
                header.clear();
                readFully(channel, header, position);
                int length = header.getInt(0);
                if (length < 4 || length > MAX_BATCH_BYTES || position + 8 + length > fileSize) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(channel, payload, position + 8);
                CRC32C crc = new CRC32C();
                crc.update(payload.array());
                if ((int) crc.getValue() != header.getInt(4)) {
                    break;
                }
                List<MetadataRecord> records;
                try {
                    records = MetadataBatches.read(payload.flip());
                } catch (IllegalArgumentException e) {
                    break;
                }
                if (offset > current.offset()) {
                    current = current.apply(records, offset);
                }
                offset++;
                position += 8 + length;
            }
            boolean cut = position < fileSize;
            if (cut) {
                log.warn("Cutting {} bytes after the last whole batch of {}", fileSize - position, file);
                channel.truncate(position);
                channel.force(true);
            }
            return new Replay(current, offset, cut);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of a metadata log segment");
            }
        }
    }

    @Override
    public synchronized CompletableFuture<Long> append(int epoch, List<MetadataRecord> records) {
        if (!started) {
            return CompletableFuture.failedFuture(new IllegalStateException("the metadata log is not started"));
        }
        if (epoch != EPOCH) {
            return CompletableFuture.failedFuture(
                    new NotLeaderException("epoch " + epoch + " is not the local log's", nodeId));
        }
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(image.offset());
        }
        byte[][] encoded = MetadataBatches.encodeRecords(records);
        int payloadLength = MetadataBatches.size(encoded);
        ByteBuffer batch = ByteBuffer.allocate(8 + payloadLength);
        batch.putInt(payloadLength).putInt(0);
        MetadataBatches.write(batch, encoded);
        CRC32C crc = new CRC32C();
        crc.update(batch.array(), 8, payloadLength);
        batch.putInt(4, (int) crc.getValue()).flip();
        try {
            long position = activeSize;
            while (batch.hasRemaining()) {
                position += active.write(batch, position);
            }
            active.force(false);
            activeSize = position;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        MetadataImage previous = image;
        image = previous.apply(records, previous.offset() + 1);
        listener.onImage(previous, image);
        maybeSnapshot();
        return CompletableFuture.completedFuture(image.offset());
    }

    private void maybeSnapshot() {
        if (activeSize < snapshotBytes) {
            return;
        }
        try {
            snapshot();
        } catch (IOException e) {
            log.warn("Writing a metadata snapshot failed; the log keeps growing until one succeeds", e);
        }
    }

    /** Writes the image as a snapshot, starts a new segment after it, and deletes what it makes unnecessary. */
    synchronized void snapshot() throws IOException {
        MetadataImage current = image;
        MetadataSnapshotFile.write(dir.resolve(name(current.offset(), SNAPSHOT_SUFFIX)), current);
        Path next = dir.resolve(name(current.offset() + 1, LOG_SUFFIX));
        FileChannel fresh =
                FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        AtomicFiles.fsyncDirectory(dir);
        FileChannel old = active;
        active = fresh;
        activeSize = fresh.size();
        old.close();
        for (var segment : files(LOG_SUFFIX).headMap(current.offset() + 1).values()) {
            Files.deleteIfExists(segment);
        }
        for (var snapshot : files(SNAPSHOT_SUFFIX).headMap(current.offset()).values()) {
            Files.deleteIfExists(snapshot);
        }
        AtomicFiles.fsyncDirectory(dir);
        log.info("Metadata snapshot at offset {}: {}", current.offset(), current);
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public LeaderAndEpoch leader() {
        return started ? new LeaderAndEpoch(nodeId, EPOCH) : LeaderAndEpoch.NONE;
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public QuorumState quorum() {
        long end = image.offset();
        return new QuorumState(leader(), end + 1, List.of(new VoterState(nodeId, end + 1, -1, -1)));
    }

    @Override
    public synchronized void close() throws IOException {
        if (active != null) {
            active.close();
        }
    }
}
