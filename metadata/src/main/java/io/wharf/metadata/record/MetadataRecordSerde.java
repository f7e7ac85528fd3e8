package io.wharf.metadata.record;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of metadata records.
 *
 * <pre>
 * record:  int8 type, int8 version (0), fields in declaration order
 *   string   int16 length (-1 for null), UTF-8 bytes
 *   id       int64, int64
 *   list     int32 count, items
 *
 * types: 1 topic, 2 partition, 3 remove topic, 4 config, 5 producer ids, 6 broker
 * </pre>
 */
public final class MetadataRecordSerde {

    private static final byte VERSION = 0;

    private MetadataRecordSerde() {}

    public static byte[] encode(MetadataRecord record) {
        Writer out = new Writer();
        if (record instanceof TopicRecord r) {
            out.header(1).string(r.name()).id(r.topicId());
        } else if (record instanceof PartitionRecord r) {
            out.header(2)
                    .id(r.topicId())
                    .int32(r.partition())
                    .ints(r.replicas())
                    .ints(r.isr())
                    .int32(r.leader())
                    .int32(r.leaderEpoch())
                    .int32(r.partitionEpoch());
        } else if (record instanceof RemoveTopicRecord r) {
            out.header(3).id(r.topicId());
        } else if (record instanceof ConfigRecord r) {
            out.header(4)
                    .int8(r.resourceType().ordinal())
                    .string(r.resourceName())
                    .string(r.key())
                    .string(r.value());
        } else if (record instanceof ProducerIdsRecord r) {
            out.header(5).int32(r.brokerId()).int64(r.nextProducerId());
        } else if (record instanceof BrokerRecord r) {
            out.header(6).int32(r.brokerId()).int32(r.endpoints().size());
            for (Endpoint endpoint : r.endpoints()) {
                out.string(endpoint.listenerName()).string(endpoint.host()).int32(endpoint.port());
            }
            out.string(r.rack());
        } else {
            throw new IllegalArgumentException("unknown metadata record " + record);
        }
        return out.toBytes();
    }

    /**
     * Decodes one record.
     *
     * @throws IllegalArgumentException when the bytes are not a record of a known type and version
     */
    public static MetadataRecord decode(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        try {
            int type = in.get();
            int version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown metadata record version " + version);
            }
            return switch (type) {
                case 1 -> new TopicRecord(string(in), id(in));
                case 2 ->
                    new PartitionRecord(id(in), in.getInt(), ints(in), ints(in), in.getInt(), in.getInt(), in.getInt());
                case 3 -> new RemoveTopicRecord(id(in));
                case 4 ->
                    new ConfigRecord(ConfigRecord.ResourceType.values()[in.get()], string(in), string(in), string(in));
                case 5 -> new ProducerIdsRecord(in.getInt(), in.getLong());
                case 6 -> {
                    int brokerId = in.getInt();
                    int count = count(in);
                    List<Endpoint> endpoints = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        endpoints.add(new Endpoint(string(in), string(in), in.getInt()));
                    }
                    yield new BrokerRecord(brokerId, endpoints, string(in));
                }
                default -> throw new IllegalArgumentException("unknown metadata record type " + type);
            };
        } catch (BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated metadata record", e);
        }
    }

    private static String string(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static TopicId id(ByteBuffer in) {
        return new TopicId(in.getLong(), in.getLong());
    }

    private static int count(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("invalid list length " + count);
        }
        return count;
    }

    private static List<Integer> ints(ByteBuffer in) {
        int count = count(in);
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.getInt());
        }
        return values;
    }

    /** A growing buffer with chained writes. */
    private static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        private void ensure(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        Writer header(int type) {
            return int8(type).int8(VERSION);
        }

        Writer int8(int value) {
            ensure(1);
            buffer.put((byte) value);
            return this;
        }

        Writer int32(int value) {
            ensure(4);
            buffer.putInt(value);
            return this;
        }

        Writer int64(long value) {
            ensure(8);
            buffer.putLong(value);
            return this;
        }

        Writer id(TopicId id) {
            return int64(id.mostSignificantBits()).int64(id.leastSignificantBits());
        }

        Writer string(String value) {
            if (value == null) {
                ensure(2);
                buffer.putShort((short) -1);
                return this;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("string too long for a metadata record: " + bytes.length);
            }
            ensure(2 + bytes.length);
            buffer.putShort((short) bytes.length).put(bytes);
            return this;
        }

        Writer ints(List<Integer> values) {
            int32(values.size());
            values.forEach(this::int32);
            return this;
        }

        byte[] toBytes() {
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }
}
