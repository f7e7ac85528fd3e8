package io.wharf.tests.simulation;

import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordReader;
import io.wharf.storage.LogSlice;
import io.wharf.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the records of a real partition log back, as the simulation's checks compare them. */
final class LogContents {

    private static final int READ_BYTES = 64 << 10;

    private LogContents() {}

    /** What identifies a record: its value (unique per record the producers write), key and timestamp. */
    static String identity(Record record) {
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        String value = record.value() == null ? "<null>" : new String(record.value(), StandardCharsets.UTF_8);
        return value + (key.isEmpty() ? "" : " key " + key) + " @" + record.timestamp() + " +"
                + record.headers().size() + "h";
    }

    /** The identities of the records at offsets {@code [from, to)} of {@code log}, in offset order. */
    static List<String> read(PartitionLog log, long from, long to) {
        List<String> out = new ArrayList<>();
        long offset = Math.max(from, log.logStartOffset());
        long end = Math.min(to, log.logEndOffset());
        long expected = offset;
        BatchView view = new BatchView();
        while (offset < end) {
            LogSlice slice = log.read(offset, READ_BYTES, Long.MAX_VALUE, true);
            if (slice.isEmpty()) {
                throw new SimulationFailure("an empty read at " + offset + " below the log end " + end + " of " + log);
            }
            ByteBuffer bytes = slice.readFully();
            for (Record record : RecordReader.records(bytes)) {
                if (record.offset() < expected || record.offset() >= end) {
                    continue;
                }
                if (record.offset() != expected) {
                    throw new SimulationFailure(
                            "offset " + record.offset() + " comes where " + expected + " should, in " + log);
                }
                out.add(identity(record));
                expected++;
            }
            long last = offset;
            for (int position = bytes.position(); position < bytes.limit(); ) {
                view.wrap(bytes, position);
                last = view.lastOffset();
                position += view.sizeInBytes();
            }
            offset = last + 1;
        }
        return out;
    }
}
