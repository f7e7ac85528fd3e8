package io.wharf.metadata.record;

import io.wharf.common.Endpoint;
import io.wharf.common.io.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of metadata records.
 *
 * <pre>
 * record:  int8 type, int8 version (0), fields in declaration order, in the vocabulary of {@link Bytes}:
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
        Bytes.Writer out = new Bytes.Writer();
        if (record instanceof TopicRecord r) {
            header(out, 1).string(r.name()).id(r.topicId());
        } else if (record instanceof PartitionRecord r) {
            header(out, 2)
                    .id(r.topicId())
                    .int32(r.partition())
                    .ints(r.replicas())
                    .ints(r.isr())
                    .int32(r.leader())
                    .int32(r.leaderEpoch())
                    .int32(r.partitionEpoch());
        } else if (record instanceof RemoveTopicRecord r) {
            header(out, 3).id(r.topicId());
        } else if (record instanceof ConfigRecord r) {
            header(out, 4)
                    .int8(r.resourceType().ordinal())
                    .string(r.resourceName())
                    .string(r.key())
                    .string(r.value());
        } else if (record instanceof ProducerIdsRecord r) {
            header(out, 5).int32(r.brokerId()).int64(r.nextProducerId());
        } else if (record instanceof BrokerRecord r) {
            header(out, 6).int32(r.brokerId()).int32(r.endpoints().size());
            for (Endpoint endpoint : r.endpoints()) {
                out.string(endpoint.listenerName()).string(endpoint.host()).int32(endpoint.port());
            }
            out.string(r.rack());
        } else {
            throw new IllegalArgumentException("unknown metadata record " + record);
        }
        return out.toArray();
    }

    private static Bytes.Writer header(Bytes.Writer out, int type) {
        return out.int8(type).int8(VERSION);
    }

    /**
     * Decodes one record.
     *
     * @throws IllegalArgumentException when the bytes are not a record of a known type and version
     */
    public static MetadataRecord decode(ByteBuffer bytes) {
        Bytes.Reader in = new Bytes.Reader(bytes);
        int type = in.int8();
        int version = in.int8();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown metadata record version " + version);
        }
        return switch (type) {
            case 1 -> new TopicRecord(in.string(), in.id());
            case 2 ->
                new PartitionRecord(in.id(), in.int32(), in.ints(), in.ints(), in.int32(), in.int32(), in.int32());
            case 3 -> new RemoveTopicRecord(in.id());
            case 4 -> new ConfigRecord(resourceType(in.int8()), in.string(), in.string(), in.string());
            case 5 -> new ProducerIdsRecord(in.int32(), in.int64());
            case 6 -> {
                int brokerId = in.int32();
                int count = in.count();
                List<Endpoint> endpoints = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    endpoints.add(new Endpoint(in.string(), in.string(), in.int32()));
                }
                yield new BrokerRecord(brokerId, endpoints, in.string());
            }
            default -> throw new IllegalArgumentException("unknown metadata record type " + type);
        };
    }

    private static ConfigRecord.ResourceType resourceType(int ordinal) {
        ConfigRecord.ResourceType[] types = ConfigRecord.ResourceType.values();
        if (ordinal < 0 || ordinal >= types.length) {
            throw new IllegalArgumentException("unknown config resource type " + ordinal);
        }
        return types[ordinal];
    }
}
