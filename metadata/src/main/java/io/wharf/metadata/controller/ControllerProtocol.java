package io.wharf.metadata.controller;

import io.wharf.common.Endpoint;
import io.wharf.common.Invariants;
import io.wharf.common.TopicId;
import io.wharf.common.io.Bytes;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.record.ConfigRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of controller requests a node forwards to the active controller, and of the answers. In the vocabulary
 * of {@link Bytes}; nothing of it is stored, but every node of a cluster must speak the same version.
 *
 * <pre>
 * request:  int8 type, then the request's fields
 *   1 create topics      int8 validate only, int32 count, topics: string name, int32 partitions, int16 replication
 *                        factor, assignments (int32 count, per partition: int32 index, ints brokers), configs
 *                        (int32 count, string key, string value)
 *   2 delete topics      int32 count, per topic: string name, int8 has id, [id]
 *   3 create partitions  int8 validate only, int32 count, per topic: string topic, int32 total, int8 has
 *                        assignments, [int32 count, ints brokers per new partition]
 *   4 alter configs      int8 validate only, int32 count, per resource: int8 type, string name, int8 incremental,
 *                        int32 count, per edit: string key, int8 op, string value
 *   5 producer ids       int32 broker id, int32 count
 *   6 register broker    int32 broker id, id incarnation, id previous incarnation, endpoints, string rack
 *   7 heartbeat          int32 broker id, int64 broker epoch, int64 metadata offset, int8 want shut down
 *   8 (retired: the alter ISR of one partition, replaced by 13)
 *   9 describe quorum    (answered: int32 leader, int32 epoch, int64 high watermark, int32 count, per voter:
 *                        int32 id, int64 log end offset, int64 last fetch ms, int64 last caught up ms)
 *  10 reassign           int32 count, per partition: string topic, int32 partition, int8 has target, [ints target]
 *  11 elect leaders      int8 election type, int8 all, [int32 count, per partition: string topic, int32 partition]
 *  12 fetch image        int64 offset the asker has, int32 longest wait ms (answered, once the image is past the
 *                        offset or the wait is over: int32 leader, int32 epoch, int8 newer, [int32 count, records])
 *  13 alter ISRs         int32 broker id, int64 broker epoch, int32 count, per partition: id topic, int32
 *                        partition, int32 leader epoch, int32 partition epoch, ints ISR (answered as ISR results)
 *   partition results    int32 count, per partition: string topic, int32 partition, error
 * answer:   int8 status (0 answered, 1 not the controller, 2 failed), then
 *   0: int64 offset, the request's result   1: int32 leader hint   2: string message
 *   topic results   int32 count, per topic: string name, id, int32 partitions, int32 replication factor, error
 *   change results  int32 count, per resource: error
 *   ISR results     int32 count, per partition: id topic, int32 partition, int32 partition epoch (-1 if refused),
 *                   error
 *   error           string error name (null for none), string message
 * </pre>
 */
public final class ControllerProtocol {

    static final int CREATE_TOPICS = 1;
    static final int DELETE_TOPICS = 2;
    static final int CREATE_PARTITIONS = 3;
    static final int ALTER_CONFIGS = 4;
    static final int PRODUCER_IDS = 5;
    static final int REGISTER_BROKER = 6;
    static final int HEARTBEAT = 7;
    static final int DESCRIBE_QUORUM = 9;
    static final int REASSIGN = 10;
    static final int ELECT_LEADERS = 11;
    static final int FETCH_IMAGE = 12;
    static final int ALTER_ISRS = 13;

    static final int ANSWERED = 0;
    static final int NOT_CONTROLLER = 1;
    static final int FAILED = 2;

    private ControllerProtocol() {}

    // ---- requests

    static byte[] createTopics(List<NewTopic> topics, boolean validateOnly) {
        Bytes.Writer out = new Bytes.Writer()
                .int8(CREATE_TOPICS)
                .int8(validateOnly ? 1 : 0)
                .int32(topics.size());
        for (NewTopic topic : topics) {
            out.string(topic.name()).int32(topic.numPartitions()).int16(topic.replicationFactor());
            out.int32(topic.assignments().size());
            topic.assignments()
                    .forEach((partition, brokers) -> out.int32(partition).ints(brokers));
            stringMap(out, topic.configs());
        }
        return out.toArray();
    }

    static List<NewTopic> readNewTopics(Bytes.Reader in) {
        int count = in.count();
        List<NewTopic> topics = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.string();
            int partitions = in.int32();
            short factor = (short) in.int16();
            int assignments = in.count();
            Map<Integer, List<Integer>> assigned = new LinkedHashMap<>();
            for (int a = 0; a < assignments; a++) {
                assigned.put(in.int32(), in.ints());
            }
            topics.add(new NewTopic(name, partitions, factor, assigned, readStringMap(in)));
        }
        return topics;
    }

    static byte[] deleteTopics(List<TopicRef> topics) {
        Bytes.Writer out = new Bytes.Writer().int8(DELETE_TOPICS).int32(topics.size());
        for (TopicRef ref : topics) {
            out.string(ref.name()).int8(ref.id() == null ? 0 : 1);
            if (ref.id() != null) {
                out.id(ref.id());
            }
        }
        return out.toArray();
    }

    static List<TopicRef> readTopicRefs(Bytes.Reader in) {
        int count = in.count();
        List<TopicRef> refs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.string();
            TopicId id = in.int8() == 1 ? in.id() : null;
            refs.add(new TopicRef(name, id));
        }
        return refs;
    }

    static byte[] createPartitions(List<NewPartitions> requests, boolean validateOnly) {
        Bytes.Writer out = new Bytes.Writer()
                .int8(CREATE_PARTITIONS)
                .int8(validateOnly ? 1 : 0)
                .int32(requests.size());
        for (NewPartitions request : requests) {
            out.string(request.topic()).int32(request.totalCount()).int8(request.assignments() == null ? 0 : 1);
            if (request.assignments() != null) {
                out.int32(request.assignments().size());
                request.assignments().forEach(out::ints);
            }
        }
        return out.toArray();
    }

    static List<NewPartitions> readNewPartitions(Bytes.Reader in) {
        int count = in.count();
        List<NewPartitions> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String topic = in.string();
            int total = in.int32();
            List<List<Integer>> assignments = null;
            if (in.int8() == 1) {
                int n = in.count();
                assignments = new ArrayList<>(n);
                for (int a = 0; a < n; a++) {
                    assignments.add(in.ints());
                }
            }
            requests.add(new NewPartitions(topic, total, assignments));
        }
        return requests;
    }

    static byte[] alterConfigs(List<ConfigChange> changes, boolean validateOnly) {
        Bytes.Writer out = new Bytes.Writer()
                .int8(ALTER_CONFIGS)
                .int8(validateOnly ? 1 : 0)
                .int32(changes.size());
        for (ConfigChange change : changes) {
            out.int8(change.type().code()).string(change.name()).int8(change.incremental() ? 1 : 0);
            out.int32(change.edits().size());
            for (ConfigChange.Edit edit : change.edits()) {
                out.string(edit.key()).int8(edit.op().code()).string(edit.value());
            }
        }
        return out.toArray();
    }

    static List<ConfigChange> readConfigChanges(Bytes.Reader in) {
        int count = in.count();
        List<ConfigChange> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ConfigRecord.ResourceType type = ConfigRecord.ResourceType.ofCode(in.int8());
            String name = in.string();
            boolean incremental = in.int8() == 1;
            int edits = in.count();
            List<ConfigChange.Edit> list = new ArrayList<>(edits);
            for (int e = 0; e < edits; e++) {
                list.add(new ConfigChange.Edit(in.string(), ConfigChange.Op.ofCode(in.int8()), in.string()));
            }
            changes.add(new ConfigChange(type, name, incremental, list));
        }
        return changes;
    }

    static byte[] producerIds(int brokerId, int count) {
        return new Bytes.Writer()
                .int8(PRODUCER_IDS)
                .int32(brokerId)
                .int32(count)
                .toArray();
    }

    static byte[] registerBroker(BrokerRegistration r) {
        Bytes.Writer out = new Bytes.Writer()
                .int8(REGISTER_BROKER)
                .int32(r.brokerId())
                .id(r.incarnationId())
                .id(r.previousIncarnationId());
        out.int32(r.endpoints().size());
        for (Endpoint endpoint : r.endpoints()) {
            out.string(endpoint.listenerName()).string(endpoint.host()).int32(endpoint.port());
        }
        return out.string(r.rack()).toArray();
    }

    static BrokerRegistration readRegistration(Bytes.Reader in) {
        int brokerId = in.int32();
        TopicId incarnation = in.id();
        TopicId previous = in.id();
        int count = in.count();
        List<Endpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            endpoints.add(new Endpoint(in.string(), in.string(), in.int32()));
        }
        return new BrokerRegistration(brokerId, incarnation, previous, endpoints, in.string());
    }

    static byte[] heartbeat(BrokerHeartbeat h) {
        return new Bytes.Writer()
                .int8(HEARTBEAT)
                .int32(h.brokerId())
                .int64(h.brokerEpoch())
                .int64(h.metadataOffset())
                .int8(h.wantShutDown() ? 1 : 0)
                .toArray();
    }

    static BrokerHeartbeat readHeartbeat(Bytes.Reader in) {
        return new BrokerHeartbeat(in.int32(), in.int64(), in.int64(), in.int8() == 1);
    }

    /** One broker's ISR changes, in one request; every change must be the same broker's, in one registration. */
    static byte[] alterIsrs(List<IsrChange> changes) {
        Invariants.check(!changes.isEmpty(), "an ISR batch must hold a change");
        IsrChange first = changes.get(0);
        Bytes.Writer out = new Bytes.Writer()
                .int8(ALTER_ISRS)
                .int32(first.brokerId())
                .int64(first.brokerEpoch())
                .int32(changes.size());
        for (IsrChange c : changes) {
            Invariants.check(
                    c.brokerId() == first.brokerId() && c.brokerEpoch() == first.brokerEpoch(),
                    "an ISR batch holds the changes of one broker registration");
            out.id(c.topicId())
                    .int32(c.partition())
                    .int32(c.leaderEpoch())
                    .int32(c.partitionEpoch())
                    .ints(c.isr());
        }
        return out.toArray();
    }

    static List<IsrChange> readIsrChanges(Bytes.Reader in) {
        int brokerId = in.int32();
        long brokerEpoch = in.int64();
        int count = in.count();
        List<IsrChange> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(new IsrChange(brokerId, brokerEpoch, in.id(), in.int32(), in.int32(), in.int32(), in.ints()));
        }
        return changes;
    }

    static byte[] describeQuorum() {
        return new Bytes.Writer().int8(DESCRIBE_QUORUM).toArray();
    }

    static byte[] alterReassignments(List<Reassignment> reassignments) {
        Bytes.Writer out = new Bytes.Writer().int8(REASSIGN).int32(reassignments.size());
        for (Reassignment r : reassignments) {
            out.string(r.topic()).int32(r.partition()).int8(r.target() == null ? 0 : 1);
            if (r.target() != null) {
                out.ints(r.target());
            }
        }
        return out.toArray();
    }

    static List<Reassignment> readReassignments(Bytes.Reader in) {
        int count = in.count();
        List<Reassignment> reassignments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String topic = in.string();
            int partition = in.int32();
            reassignments.add(new Reassignment(topic, partition, in.int8() == 1 ? in.ints() : null));
        }
        return reassignments;
    }

    static byte[] electLeaders(LeaderElection election, List<PartitionRef> partitions) {
        Bytes.Writer out =
                new Bytes.Writer().int8(ELECT_LEADERS).int8(election.code()).int8(partitions == null ? 1 : 0);
        if (partitions != null) {
            out.int32(partitions.size());
            partitions.forEach(p -> out.string(p.topic()).int32(p.partition()));
        }
        return out.toArray();
    }

    static List<PartitionRef> readPartitionRefs(Bytes.Reader in) {
        if (in.int8() == 1) {
            return null;
        }
        int count = in.count();
        List<PartitionRef> refs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            refs.add(new PartitionRef(in.string(), in.int32()));
        }
        return refs;
    }

    /** Asks for the image, once it is past {@code offset} or {@code maxWaitMs} have passed. */
    public static byte[] fetchImage(long offset, int maxWaitMs) {
        return new Bytes.Writer()
                .int8(FETCH_IMAGE)
                .int64(offset)
                .int32(maxWaitMs)
                .toArray();
    }

    // ---- answers

    static void partitionResults(Bytes.Writer out, List<PartitionResult> results) {
        out.int32(results.size());
        for (PartitionResult r : results) {
            out.string(r.topic()).int32(r.partition());
            error(out, r.error(), r.message());
        }
    }

    static List<PartitionResult> readPartitionResults(Bytes.Reader in) {
        int count = in.count();
        List<PartitionResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String topic = in.string();
            int partition = in.int32();
            MetadataError error = readError(in);
            results.add(new PartitionResult(topic, partition, error, in.string()));
        }
        return results;
    }

    static void quorumState(Bytes.Writer out, MetadataLog.QuorumState q) {
        out.int32(q.leader().leaderId()).int32(q.leader().epoch()).int64(q.highWatermark());
        out.int32(q.voters().size());
        for (MetadataLog.VoterState v : q.voters()) {
            out.int32(v.nodeId())
                    .int64(v.logEndOffset())
                    .int64(v.lastFetchTimestampMs())
                    .int64(v.lastCaughtUpTimestampMs());
        }
    }

    static MetadataLog.QuorumState readQuorumState(Bytes.Reader in) {
        MetadataLog.LeaderAndEpoch leader = new MetadataLog.LeaderAndEpoch(in.int32(), in.int32());
        long highWatermark = in.int64();
        int count = in.count();
        List<MetadataLog.VoterState> voters = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            voters.add(new MetadataLog.VoterState(in.int32(), in.int64(), in.int64(), in.int64()));
        }
        return new MetadataLog.QuorumState(leader, highWatermark, voters);
    }

    static Bytes.Writer answered(long offset) {
        return new Bytes.Writer().int8(ANSWERED).int64(offset);
    }

    static byte[] notController(int leaderHint) {
        return new Bytes.Writer().int8(NOT_CONTROLLER).int32(leaderHint).toArray();
    }

    static byte[] failed(String message) {
        return new Bytes.Writer().int8(FAILED).string(message).toArray();
    }

    static void topicResults(Bytes.Writer out, List<TopicResult> results) {
        out.int32(results.size());
        for (TopicResult r : results) {
            out.string(r.name()).id(r.topicId() == null ? TopicId.ZERO : r.topicId());
            out.int32(r.numPartitions()).int32(r.replicationFactor());
            error(out, r.error(), r.message());
        }
    }

    static List<TopicResult> readTopicResults(Bytes.Reader in) {
        int count = in.count();
        List<TopicResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.string();
            TopicId id = in.id();
            int partitions = in.int32();
            int factor = in.int32();
            MetadataError error = readError(in);
            results.add(new TopicResult(name, id, partitions, factor, error, in.string()));
        }
        return results;
    }

    static void changeResults(Bytes.Writer out, List<ChangeResult> results) {
        out.int32(results.size());
        for (ChangeResult r : results) {
            error(out, r.error(), r.message());
        }
    }

    static List<ChangeResult> readChangeResults(Bytes.Reader in) {
        int count = in.count();
        List<ChangeResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MetadataError error = readError(in);
            results.add(new ChangeResult(error, in.string()));
        }
        return results;
    }

    static void isrResults(Bytes.Writer out, List<IsrResult> results) {
        out.int32(results.size());
        for (IsrResult r : results) {
            out.id(r.topicId()).int32(r.partition()).int32(r.partitionEpoch());
            error(out, r.error(), r.message());
        }
    }

    static List<IsrResult> readIsrResults(Bytes.Reader in) {
        int count = in.count();
        List<IsrResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TopicId topicId = in.id();
            int partition = in.int32();
            int partitionEpoch = in.int32();
            MetadataError error = readError(in);
            results.add(new IsrResult(topicId, partition, partitionEpoch, error, in.string()));
        }
        return results;
    }

    static void registrationResult(Bytes.Writer out, RegistrationResult r) {
        out.int64(r.brokerEpoch());
        error(out, r.error(), r.message());
    }

    static RegistrationResult readRegistrationResult(Bytes.Reader in) {
        long epoch = in.int64();
        MetadataError error = readError(in);
        return new RegistrationResult(epoch, error, in.string());
    }

    static void heartbeatResult(Bytes.Writer out, HeartbeatResult r) {
        out.int8(r.fenced() ? 1 : 0).int8(r.shouldShutDown() ? 1 : 0);
        error(out, r.error(), r.message());
    }

    static HeartbeatResult readHeartbeatResult(Bytes.Reader in) {
        boolean fenced = in.int8() == 1;
        boolean shutDown = in.int8() == 1;
        MetadataError error = readError(in);
        return new HeartbeatResult(fenced, shutDown, error, in.string());
    }

    /** Writes an error and its message; read back by {@link #readError} then a string. */
    private static void error(Bytes.Writer out, MetadataError error, String message) {
        out.string(error == null ? null : error.name()).string(message);
    }

    private static MetadataError readError(Bytes.Reader in) {
        String name = in.string();
        if (name == null) {
            return null;
        }
        try {
            return MetadataError.valueOf(name);
        } catch (IllegalArgumentException e) {
            return MetadataError.UNKNOWN_SERVER_ERROR;
        }
    }

    private static void stringMap(Bytes.Writer out, Map<String, String> map) {
        out.int32(map.size());
        map.forEach((k, v) -> out.string(k).string(v));
    }

    private static Map<String, String> readStringMap(Bytes.Reader in) {
        int count = in.count();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put(in.string(), in.string());
        }
        return map;
    }

    static Bytes.Reader reader(ByteBuffer bytes) {
        return new Bytes.Reader(bytes);
    }
}
