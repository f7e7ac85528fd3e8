package io.wharf.common.io;

import io.wharf.common.TopicId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary vocabulary of Wharf's own records (metadata records, and the group, offset and share-partition records
 * of the coordinators): big-endian integers, strings as int16 length (-1 for null) and UTF-8, byte arrays as int32
 * length (-1 for null), lists as int32 count and items, topic ids as two int64s.
 */
public final class Bytes {

    private Bytes() {}

    /** Appends values to a growing buffer. */
    public static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(64);

        private void ensure(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        public Writer int8(int value) {
            ensure(1);
            buffer.put((byte) value);
            return this;
        }

        public Writer int16(int value) {
            ensure(2);
            buffer.putShort((short) value);
            return this;
        }

        public Writer int32(int value) {
            ensure(4);
            buffer.putInt(value);
            return this;
        }

        public Writer int64(long value) {
            ensure(8);
            buffer.putLong(value);
            return this;
        }

        public Writer string(String value) {
            if (value == null) {
                return int16(-1);
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long for a record");
            }
            int16(bytes.length);
            ensure(bytes.length);
            buffer.put(bytes);
            return this;
        }

        public Writer bytes(byte[] value) {
            if (value == null) {
                return int32(-1);
            }
            int32(value.length);
            ensure(value.length);
            buffer.put(value);
            return this;
        }

        public Writer id(TopicId id) {
            return int64(id.mostSignificantBits()).int64(id.leastSignificantBits());
        }

        public Writer ints(List<Integer> values) {
            int32(values.size());
            values.forEach(this::int32);
            return this;
        }

        public Writer strings(List<String> values) {
            int32(values.size());
            values.forEach(this::string);
            return this;
        }

        /** A map from topic id to partition numbers. */
        public Writer partitions(Map<TopicId, List<Integer>> assignment) {
            int32(assignment.size());
            for (Map.Entry<TopicId, List<Integer>> entry : assignment.entrySet()) {
                id(entry.getKey()).ints(entry.getValue());
            }
            return this;
        }

        public byte[] toArray() {
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    /** Reads values back; any malformed input is an {@link IllegalArgumentException}. */
    public static final class Reader {
        private final ByteBuffer buffer;

        public Reader(byte[] bytes) {
            this(ByteBuffer.wrap(bytes));
        }

        /** Reads from the buffer's position to its limit, leaving the caller's buffer as it was. */
        public Reader(ByteBuffer bytes) {
            this.buffer = bytes.duplicate();
        }

        public int int8() {
            need(1);
            return buffer.get();
        }

        public int int16() {
            need(2);
            return buffer.getShort();
        }

        public int int32() {
            need(4);
            return buffer.getInt();
        }

        public long int64() {
            need(8);
            return buffer.getLong();
        }

        public TopicId id() {
            return new TopicId(int64(), int64());
        }

        public List<Integer> ints() {
            int count = count();
            List<Integer> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(int32());
            }
            return values;
        }

        public String string() {
            int length = int16();
            if (length < 0) {
                return null;
            }
            byte[] bytes = take(length);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public byte[] bytes() {
            int length = int32();
            return length < 0 ? null : take(length);
        }

        public List<String> strings() {
            int count = count();
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(string());
            }
            return values;
        }

        public Map<TopicId, List<Integer>> partitions() {
            int topics = count();
            Map<TopicId, List<Integer>> assignment = new LinkedHashMap<>();
            for (int t = 0; t < topics; t++) {
                TopicId id = id();
                assignment.put(id, List.copyOf(ints()));
            }
            return assignment;
        }

        public int count() {
            int count = int32();
            if (count < 0 || count > buffer.remaining()) {
                throw new IllegalArgumentException("invalid count " + count);
            }
            return count;
        }

        private byte[] take(int length) {
            need(length);
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            return bytes;
        }

        private void need(int length) {
            if (length > buffer.remaining()) {
                throw new IllegalArgumentException(
                        "truncated record: a field of " + length + " bytes runs past its end");
            }
        }
    }
}
