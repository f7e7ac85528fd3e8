package io.wharf.metadata;

import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.MetadataRecordSerde;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a batch of records: {@code int32 record count}, then per record {@code int32 length} and the record
 * ({@link MetadataRecordSerde}). What a local log file and a Raft entry carry. Stateless.
 */
public final class MetadataBatches {

    private MetadataBatches() {}

    /** A whole batch of {@code records}. */
    public static byte[] encode(List<MetadataRecord> records) {
        byte[][] encoded = encodeRecords(records);
        ByteBuffer out = ByteBuffer.allocate(size(encoded));
        write(out, encoded);
        return out.array();
    }

    /** Each record encoded. */
    public static byte[][] encodeRecords(List<MetadataRecord> records) {
        byte[][] encoded = new byte[records.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = MetadataRecordSerde.encode(records.get(i));
        }
        return encoded;
    }

    public static int size(byte[][] encoded) {
        int size = 4;
        for (byte[] record : encoded) {
            size += 4 + record.length;
        }
        return size;
    }

    public static void write(ByteBuffer out, byte[][] encoded) {
        out.putInt(encoded.length);
        for (byte[] record : encoded) {
            out.putInt(record.length).put(record);
        }
    }

    /**
     * Reads a batch from {@code in}'s position to its limit.
     *
     * @throws IllegalArgumentException when the bytes are not a whole batch of known records
     */
    public static List<MetadataRecord> read(ByteBuffer in) {
        if (in.remaining() < 4) {
            throw new IllegalArgumentException("a metadata batch needs at least 4 bytes");
        }
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 6) {
            throw new IllegalArgumentException("invalid metadata record count " + count);
        }
        List<MetadataRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw new IllegalArgumentException("metadata batch cut short");
            }
            int length = in.getInt();
            if (length < 2 || length > in.remaining()) {
                throw new IllegalArgumentException("invalid metadata record length " + length);
            }
            ByteBuffer record = in.slice();
            record.limit(length);
            records.add(MetadataRecordSerde.decode(record));
            in.position(in.position() + length);
        }
        return records;
    }
}
