package io.wharf.protocol.record;

import java.util.List;

/**
 * One record, decoded: what the broker's own coordinators write and read back, and what tests compare.
 *
 * @param offset its offset, or the index within the batch for records not yet appended
 * @param timestamp its timestamp
 * @param key its key, or null
 * @param value its value, or null
 * @param headers its headers in order
 */
public record Record(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    /** A record header: a key and a value that may be null. */
    public record Header(String key, byte[] value) {}

    public Record {
        headers = List.copyOf(headers);
    }
}
