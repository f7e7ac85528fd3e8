package io.wharf.metadata;

import io.wharf.common.io.AtomicFiles;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.MetadataRecordSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A metadata image in a file: the records that rebuild it ({@link MetadataImage#toRecords()}), written whole or not at
 * all.
 *
 * <pre>
 * int32  magic 0x574d534e ("WMSN")
 * int8   version (0)
 * int64  offset of the last batch the image includes
 * int32  record count, then per record: int32 length, record bytes ({@link MetadataRecordSerde})
 * int32  CRC32C of every byte before it
 * </pre>
 */
public final class MetadataSnapshotFile {

    private static final int MAGIC = 0x574d534e;
    private static final int VERSION = 0;

    private MetadataSnapshotFile() {}

    /** Writes {@code image} to {@code file} atomically and durably. */
    public static void write(Path file, MetadataImage image) throws IOException {
        AtomicFiles.write(file, encode(image));
    }

    static byte[] encode(MetadataImage image) {
        List<byte[]> records = new ArrayList<>();
        int size = 4 + 1 + 8 + 4 + 4;
        for (MetadataRecord record : image.toRecords()) {
            byte[] bytes = MetadataRecordSerde.encode(record);
            records.add(bytes);
            size += 4 + bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).put((byte) VERSION).putLong(image.offset()).putInt(records.size());
        for (byte[] record : records) {
            out.putInt(record.length).put(record);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Reads a snapshot.
     *
     * @throws IOException when the file cannot be read or is not a whole, valid snapshot
     */
    public static MetadataImage read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    static MetadataImage decode(byte[] bytes, String name) throws IOException {
        if (bytes.length < 21) {
            throw new IOException(name + " is too short to be a metadata snapshot");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
            throw new IOException(name + " fails its checksum");
        }
        if (in.getInt() != MAGIC || in.get() != VERSION) {
            throw new IOException(name + " is not a metadata snapshot of a known version");
        }
        long offset = in.getLong();
        int count = in.getInt();
        List<MetadataRecord> records = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int length = in.getInt();
                ByteBuffer record = in.slice();
                record.limit(length);
                records.add(MetadataRecordSerde.decode(record));
                in.position(in.position() + length);
            }
        } catch (RuntimeException e) {
            throw new IOException(name + " holds a record that cannot be read", e);
        }
        return MetadataImage.EMPTY.apply(records, offset);
    }
}
