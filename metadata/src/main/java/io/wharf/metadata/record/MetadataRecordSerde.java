package io.wharf.metadata.record;

import io.wharf.common.Endpoint;
import io.wharf.common.io.Bytes;
import io.wharf.metadata.image.BrokerState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of metadata records.
 *
 * <pre>
 * record:  int8 type, int8 version, fields in declaration order, in the vocabulary of {@link Bytes}:
 *   string     int16 length (-1 for null), UTF-8 bytes
 *   id         int64, int64
 *   list       int32 count, items
 *   endpoints  int32 count, then per endpoint: string listener name, string host, int32 port
 *
 *  type  record                    version  fields
 *   1    TopicRecord                  0     string name, id topic
 *   2    PartitionRecord              0     id topic, int32 partition, ints replicas, ints isr, int32 leader,
 *                                           int32 leader epoch, int32 partition epoch
 *                                     1     the fields of version 0, then ints adding replicas, ints removing replicas
 *   3    RemoveTopicRecord            0     id topic
 *   4    ConfigRecord                 0     int8 resource type (0 topic, 1 broker, 2 group), string resource name,
 *                                           string key, string value (null: removed)
 *   5    ProducerIdsRecord            0     int32 broker id, int64 next producer id
 *   6    BrokerRecord                 0     int32 broker id, endpoints, string rack  (read only; no longer written)
 *   7    RegisterBrokerRecord         0     int32 broker id, id incarnation, int64 broker epoch, endpoints, string rack
 *   8    BrokerStateRecord            0     int32 broker id, int64 broker epoch, int8 state (1 fenced, 2 active,
 *                                           3 shutting down)
 *   9    UnregisterBrokerRecord       0     int32 broker id, int64 broker epoch
 *  10    ClusterRecord                0     string cluster id
 * </pre>
 *
 * <p>Each type is written at its newest version; every older version is still read.
 */
public final class MetadataRecordSerde {

    private MetadataRecordSerde() {}

    public static byte[] encode(MetadataRecord record) {
        Bytes.Writer out = new Bytes.Writer();
        if (record instanceof TopicRecord r) {
            header(out, 1, 0).string(r.name()).id(r.topicId());
        } else if (record instanceof PartitionRecord r) {
            header(out, 2, 1)
                    .id(r.topicId())
                    .int32(r.partition())
                    .ints(r.replicas())
                    .ints(r.isr())
                    .int32(r.leader())
                    .int32(r.leaderEpoch())
                    .int32(r.partitionEpoch())
                    .ints(r.addingReplicas())
                    .ints(r.removingReplicas());
        } else if (record instanceof RemoveTopicRecord r) {
            header(out, 3, 0).id(r.topicId());
        } else if (record instanceof ConfigRecord r) {
            header(out, 4, 0)
                    .int8(r.resourceType().code())
                    .string(r.resourceName())
                    .string(r.key())
                    .string(r.value());
        } else if (record instanceof ProducerIdsRecord r) {
            header(out, 5, 0).int32(r.brokerId()).int64(r.nextProducerId());
        } else if (record instanceof BrokerRecord r) {
            endpoints(header(out, 6, 0).int32(r.brokerId()), r.endpoints()).string(r.rack());
        } else if (record instanceof RegisterBrokerRecord r) {
            header(out, 7, 0).int32(r.brokerId()).id(r.incarnationId()).int64(r.brokerEpoch());
            endpoints(out, r.endpoints()).string(r.rack());
        } else if (record instanceof BrokerStateRecord r) {
            header(out, 8, 0)
                    .int32(r.brokerId())
                    .int64(r.brokerEpoch())
                    .int8(r.state().code());
        } else if (record instanceof UnregisterBrokerRecord r) {
            header(out, 9, 0).int32(r.brokerId()).int64(r.brokerEpoch());
        } else if (record instanceof ClusterRecord r) {
            header(out, 10, 0).string(r.clusterId());
        } else {
            throw new IllegalArgumentException("unknown metadata record " + record);
        }
        return out.toArray();
    }

    private static Bytes.Writer header(Bytes.Writer out, int type, int version) {
        return out.int8(type).int8(version);
    }

    private static Bytes.Writer endpoints(Bytes.Writer out, List<Endpoint> endpoints) {
        out.int32(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            out.string(endpoint.listenerName()).string(endpoint.host()).int32(endpoint.port());
        }
        return out;
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
        int newest = type == 2 ? 1 : 0;
        if (type >= 1 && type <= 10 && (version < 0 || version > newest)) {
            throw new IllegalArgumentException("unknown metadata record version " + version + " of type " + type);
        }
        return switch (type) {
            case 1 -> new TopicRecord(in.string(), in.id());
            case 2 -> partition(in, version);
            case 3 -> new RemoveTopicRecord(in.id());
            case 4 ->
                new ConfigRecord(ConfigRecord.ResourceType.ofCode(in.int8()), in.string(), in.string(), in.string());
            case 5 -> new ProducerIdsRecord(in.int32(), in.int64());
            case 6 -> new BrokerRecord(in.int32(), endpoints(in), in.string());
            case 7 -> new RegisterBrokerRecord(in.int32(), in.id(), in.int64(), endpoints(in), in.string());
            case 8 -> new BrokerStateRecord(in.int32(), in.int64(), BrokerState.ofCode(in.int8()));
            case 9 -> new UnregisterBrokerRecord(in.int32(), in.int64());
            case 10 -> new ClusterRecord(in.string());
            default -> throw new IllegalArgumentException("unknown metadata record type " + type);
        };
    }

    private static PartitionRecord partition(Bytes.Reader in, int version) {
        var topicId = in.id();
        int partition = in.int32();
        List<Integer> replicas = in.ints();
        List<Integer> isr = in.ints();
        int leader = in.int32();
        int leaderEpoch = in.int32();
        int partitionEpoch = in.int32();
        List<Integer> adding = version >= 1 ? in.ints() : List.of();
        List<Integer> removing = version >= 1 ? in.ints() : List.of();
        return new PartitionRecord(
                topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, adding, removing);
    }

    private static List<Endpoint> endpoints(Bytes.Reader in) {
        int count = in.count();
        List<Endpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            endpoints.add(new Endpoint(in.string(), in.string(), in.int32()));
        }
        return endpoints;
    }
}
