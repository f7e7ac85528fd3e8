package io.wharf.metadata;

import io.wharf.common.io.AtomicFiles;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.MetadataRecordSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log of a single node: one append-only file, each batch fsynced before it counts.
 *
 * <pre>
 * metadata.log
 *   batch:  int32 payload length, int32 CRC32C of the payload, payload
 *   payload: int32 record count, then per record: int32 length, record bytes ({@link MetadataRecordSerde})
 * </pre>
 *
 * <p>At open, a torn or damaged last batch is cut off (it was never acknowledged: a batch counts only after its
 * fsync). Threads: appends come from the controller thread only.
 */
public final class LocalMetadataLog implements MetadataLog {

    public static final String FILE_NAME = "metadata.log";

    private static final Logger log = LoggerFactory.getLogger(LocalMetadataLog.class);
    private static final int MAX_BATCH_BYTES = 64 << 20;

    private final Path file;
    private final FileChannel channel;
    private long endOffset;
    private long size;

    private LocalMetadataLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (or creates) the log in {@code dir}, cutting off a torn last batch. */
    public static LocalMetadataLog open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        boolean created = !Files.exists(file);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            AtomicFiles.fsyncDirectory(dir);
        }
        LocalMetadataLog metadataLog = new LocalMetadataLog(file, channel);
        metadataLog.scan(null);
        return metadataLog;
    }

    @Override
    public void replay(BatchConsumer consumer) throws IOException {
        scan(consumer);
    }

    /** Reads every whole batch, counting offsets; cuts the file after the last good one. */
    private void scan(BatchConsumer consumer) throws IOException {
        long fileSize = channel.size();
        long position = 0;
        long offset = 0;
        ByteBuffer header = ByteBuffer.allocate(8);
        while (position + 8 <= fileSize) {
            header.clear();
            readFully(header, position);
            int length = header.getInt(0);
            if (length < 4 || length > MAX_BATCH_BYTES || position + 8 + length > fileSize) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, position + 8);
            CRC32C crc = new CRC32C();
            crc.update(payload.array());
            if ((int) crc.getValue() != header.getInt(4)) {
                break;
            }
            List<MetadataRecord> records = decode(payload.flip());
            offset += records.size();
            if (consumer != null) {
                consumer.accept(records, offset - 1);
            }
            position += 8 + length;
        }
        if (position < fileSize) {
            log.warn("Cutting {} bytes after the last whole batch of {}", fileSize - position, file);
            channel.truncate(position);
            channel.force(true);
        }
        endOffset = offset;
        size = position;
    }

    private static List<MetadataRecord> decode(ByteBuffer payload) {
        int count = payload.getInt();
        List<MetadataRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = payload.getInt();
            ByteBuffer record = payload.slice();
            record.limit(length);
            records.add(MetadataRecordSerde.decode(record));
            payload.position(payload.position() + length);
        }
        return records;
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of " + file);
            }
        }
    }

    @Override
    public CompletableFuture<Long> append(List<MetadataRecord> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(endOffset - 1);
        }
        List<byte[]> encoded = records.stream().map(MetadataRecordSerde::encode).toList();
        int payloadLength = 4 + encoded.stream().mapToInt(b -> 4 + b.length).sum();
        ByteBuffer batch = ByteBuffer.allocate(8 + payloadLength);
        batch.putInt(payloadLength).putInt(0).putInt(encoded.size());
        for (byte[] record : encoded) {
            batch.putInt(record.length).put(record);
        }
        CRC32C crc = new CRC32C();
        crc.update(batch.array(), 8, payloadLength);
        batch.putInt(4, (int) crc.getValue()).flip();
        try {
            long position = size;
            while (batch.hasRemaining()) {
                position += channel.write(batch, position);
            }
            channel.force(false);
            size = position;
            endOffset += records.size();
            return CompletableFuture.completedFuture(endOffset - 1);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public long endOffset() {
        return endOffset;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
