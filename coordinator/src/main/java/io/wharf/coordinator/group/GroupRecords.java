package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import io.wharf.common.io.Bytes;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of {@code __consumer_offsets}, Wharf's own format in the vocabulary of {@link Bytes}: big-endian
 * integers; a string is an int16 byte length (-1 for null) and UTF-8; bytes are an int32 length (-1 for null) and the
 * bytes; a list is an int32 count and its items; a topic id is two int64s, the most significant half first. A key
 * starts with its type, a value with its version; a null value (tombstone) deletes the key. A later record with the
 * same key replaces the earlier one, so replaying every record in order rebuilds every group and offset.
 *
 * <pre>
 * key        int16 type, string group id, then by type:
 *              type 0               string topic, int32 partition
 *              types 3, 4, 6, 8     string member id
 *              types 1, 2, 5, 7     nothing more
 *              type 9               string topic, int32 partition, int64 producer id
 *              type 10              int64 producer id (the group id is empty)
 * value      int16 version (0), then by type:
 *
 * type 0  offset commit      int64 offset, int32 leader epoch, string metadata, int64 commit time (ms)
 * type 1  classic group      string protocol type, int32 generation, string protocol name, string leader id,
 *                            int64 state time (ms), int8 state code, int32 member count, members
 *         member             string member id, string group instance id, string client id, string client host,
 *                            int32 rebalance timeout (ms), int32 session timeout (ms), int32 protocol count,
 *                            protocols (string name, bytes metadata), bytes assignment
 * type 2  consumer group     int32 group epoch
 * type 3  consumer member    string instance id, string rack id, string client id, string client host,
 *                            list of string subscribed topic names, string subscribed regex,
 *                            string server assignor, int32 rebalance timeout (ms)
 * type 4  target assignment  partitions: the member's target
 * type 5  target epoch       int32 the epoch the target assignment was computed for
 * type 6  current assignment int32 member epoch, int32 previous member epoch, int8 state code,
 *                            partitions assigned, partitions pending revocation
 * type 7  share group        int32 group epoch, int32 topic count, (string topic name, int32 partition count) each:
 *                            the partition counts the epoch's assignment was computed from
 * type 8  share member       int32 member epoch, int32 previous member epoch, string rack id, string client id,
 *                            string client host, list of string subscribed topic names, partitions assigned
 *
 * type 9  pending txn offset an offset commit of the producer's open transaction, as type 0; applied when a type 10
 *                            record commits the transaction, dropped when it aborts (a tombstone drops it too)
 * type 10 transaction end    int8 result (1 COMMIT, 0 ABORT): the marker of the producer's transaction in this
 *                            partition, replayed over every pending offset of the producer
 *
 * partitions                 int32 topic count, then per topic: topic id, list of int32 partition
 *
 * classic group state codes (ClassicGroupState)   0 Empty, 2 CompletingRebalance, 3 Stable
 *                                                 (1 PreparingRebalance and 4 Dead are never recorded)
 * member state codes (MemberState)                0 STABLE, 1 UNREVOKED_PARTITIONS, 2 UNRELEASED_PARTITIONS
 * </pre>
 *
 * <p>A code that names no state, or a state that is never recorded, is refused when the record is read.
 */
final class GroupRecords {

    static final int OFFSET = 0;
    static final int CLASSIC_GROUP = 1;
    static final int CONSUMER_GROUP = 2;
    static final int CONSUMER_MEMBER = 3;
    static final int TARGET_ASSIGNMENT = 4;
    static final int TARGET_ASSIGNMENT_EPOCH = 5;
    static final int CURRENT_ASSIGNMENT = 6;
    static final int SHARE_GROUP = 7;
    static final int SHARE_MEMBER = 8;
    static final int PENDING_TXN_OFFSET = 9;
    static final int TXN_END = 10;

    private static final int VERSION = 0;

    private GroupRecords() {}

    /** A decoded key: its type, group, and the member or topic-partition it names. */
    record Key(int type, String groupId, String memberId, String topic, int partition, long producerId) {
        Key(int type, String groupId, String memberId, String topic, int partition) {
            this(type, groupId, memberId, topic, partition, -1);
        }
    }

    record OffsetValue(long offset, int leaderEpoch, String metadata, long commitTimestamp) {}

    record Protocol(String name, byte[] metadata) {}

    record ClassicGroupValue(
            String protocolType,
            int generation,
            String protocol,
            String leader,
            long stateTimestamp,
            ClassicGroupState state,
            List<ClassicMember> members) {}

    record ConsumerMemberValue(
            String instanceId,
            String rackId,
            String clientId,
            String clientHost,
            List<String> subscribedTopicNames,
            String subscribedTopicRegex,
            String serverAssignor,
            int rebalanceTimeoutMs) {}

    record ShareGroupValue(int groupEpoch, Map<String, Integer> partitionCounts) {}

    record ShareMemberValue(
            int memberEpoch,
            int previousMemberEpoch,
            String rackId,
            String clientId,
            String clientHost,
            List<String> subscribedTopicNames,
            Map<TopicId, List<Integer>> assigned) {}

    record CurrentAssignmentValue(
            int memberEpoch,
            int previousMemberEpoch,
            MemberState state,
            Map<TopicId, List<Integer>> assigned,
            Map<TopicId, List<Integer>> pendingRevocation) {}

    static Key key(byte[] bytes) {
        Bytes.Reader in = new Bytes.Reader(bytes);
        int type = in.int16();
        String group = in.string();
        return switch (type) {
            case OFFSET -> new Key(type, group, null, in.string(), in.int32());
            case PENDING_TXN_OFFSET -> new Key(type, group, null, in.string(), in.int32(), in.int64());
            case TXN_END -> new Key(type, group, null, null, -1, in.int64());
            case CLASSIC_GROUP, CONSUMER_GROUP, TARGET_ASSIGNMENT_EPOCH, SHARE_GROUP ->
                new Key(type, group, null, null, -1);
            case CONSUMER_MEMBER, TARGET_ASSIGNMENT, CURRENT_ASSIGNMENT, SHARE_MEMBER ->
                new Key(type, group, in.string(), null, -1);
            default -> throw new IllegalArgumentException("unknown group record type " + type);
        };
    }

    private static Bytes.Writer value() {
        return new Bytes.Writer().int16(VERSION);
    }

    private static Bytes.Reader valueReader(byte[] bytes) {
        Bytes.Reader in = new Bytes.Reader(bytes);
        int version = in.int16();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown group record value version " + version);
        }
        return in;
    }

    static CoordinatorRecord offset(String group, String topic, int partition, OffsetValue value) {
        byte[] key = new Bytes.Writer()
                .int16(OFFSET)
                .string(group)
                .string(topic)
                .int32(partition)
                .toArray();
        if (value == null) {
            return new CoordinatorRecord(key, null);
        }
        return new CoordinatorRecord(
                key,
                value().int64(value.offset())
                        .int32(value.leaderEpoch())
                        .string(value.metadata())
                        .int64(value.commitTimestamp())
                        .toArray());
    }

    static CoordinatorRecord pendingTxnOffset(
            String group, String topic, int partition, long producerId, OffsetValue value) {
        byte[] key = new Bytes.Writer()
                .int16(PENDING_TXN_OFFSET)
                .string(group)
                .string(topic)
                .int32(partition)
                .int64(producerId)
                .toArray();
        CoordinatorRecord asOffset = offset(group, topic, partition, value);
        return new CoordinatorRecord(key, asOffset.value());
    }

    static CoordinatorRecord transactionEnd(long producerId, boolean commit) {
        byte[] key =
                new Bytes.Writer().int16(TXN_END).string("").int64(producerId).toArray();
        return new CoordinatorRecord(key, value().int8(commit ? 1 : 0).toArray());
    }

    /** Whether a transaction-end value commits. */
    static boolean transactionEndCommits(byte[] bytes) {
        int result = valueReader(bytes).int8();
        if (result != 0 && result != 1) {
            throw new IllegalArgumentException("unknown transaction result " + result);
        }
        return result == 1;
    }

    static OffsetValue offsetValue(byte[] bytes) {
        Bytes.Reader in = valueReader(bytes);
        return new OffsetValue(in.int64(), in.int32(), in.string(), in.int64());
    }

    static CoordinatorRecord classicGroup(String group, ClassicGroupValue value) {
        byte[] key = new Bytes.Writer().int16(CLASSIC_GROUP).string(group).toArray();
        if (value == null) {
            return new CoordinatorRecord(key, null);
        }
        Bytes.Writer out = value().string(value.protocolType())
                .int32(value.generation())
                .string(value.protocol())
                .string(value.leader())
                .int64(value.stateTimestamp())
                .int8(value.state().code())
                .int32(value.members().size());
        for (ClassicMember member : value.members()) {
            out.string(member.memberId())
                    .string(member.instanceId())
                    .string(member.clientId())
                    .string(member.clientHost())
                    .int32(member.rebalanceTimeoutMs())
                    .int32(member.sessionTimeoutMs())
                    .int32(member.protocols().size());
            for (Protocol protocol : member.protocols()) {
                out.string(protocol.name()).bytes(protocol.metadata());
            }
            out.bytes(member.assignment());
        }
        return new CoordinatorRecord(key, out.toArray());
    }

    static ClassicGroupValue classicGroupValue(byte[] bytes) {
        Bytes.Reader in = valueReader(bytes);
        String protocolType = in.string();
        int generation = in.int32();
        String protocol = in.string();
        String leader = in.string();
        long stateTimestamp = in.int64();
        ClassicGroupState state = ClassicGroupState.ofRecordedCode(in.int8());
        int count = in.count();
        List<ClassicMember> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String memberId = in.string();
            String instanceId = in.string();
            String clientId = in.string();
            String clientHost = in.string();
            int rebalanceTimeout = in.int32();
            int sessionTimeout = in.int32();
            int protocolCount = in.count();
            List<Protocol> protocols = new ArrayList<>(protocolCount);
            for (int p = 0; p < protocolCount; p++) {
                protocols.add(new Protocol(in.string(), in.bytes()));
            }
            members.add(new ClassicMember(
                    memberId,
                    instanceId,
                    clientId,
                    clientHost,
                    rebalanceTimeout,
                    sessionTimeout,
                    protocols,
                    in.bytes()));
        }
        return new ClassicGroupValue(protocolType, generation, protocol, leader, stateTimestamp, state, members);
    }

    static CoordinatorRecord consumerGroup(String group, Integer epoch) {
        byte[] key = new Bytes.Writer().int16(CONSUMER_GROUP).string(group).toArray();
        return new CoordinatorRecord(
                key, epoch == null ? null : value().int32(epoch).toArray());
    }

    static CoordinatorRecord targetAssignmentEpoch(String group, Integer epoch) {
        byte[] key =
                new Bytes.Writer().int16(TARGET_ASSIGNMENT_EPOCH).string(group).toArray();
        return new CoordinatorRecord(
                key, epoch == null ? null : value().int32(epoch).toArray());
    }

    static int epochValue(byte[] bytes) {
        return valueReader(bytes).int32();
    }

    private static byte[] memberKey(int type, String group, String member) {
        return new Bytes.Writer().int16(type).string(group).string(member).toArray();
    }

    static CoordinatorRecord consumerMember(String group, String member, ConsumerMemberValue value) {
        byte[] key = memberKey(CONSUMER_MEMBER, group, member);
        if (value == null) {
            return new CoordinatorRecord(key, null);
        }
        return new CoordinatorRecord(
                key,
                value().string(value.instanceId())
                        .string(value.rackId())
                        .string(value.clientId())
                        .string(value.clientHost())
                        .strings(value.subscribedTopicNames())
                        .string(value.subscribedTopicRegex())
                        .string(value.serverAssignor())
                        .int32(value.rebalanceTimeoutMs())
                        .toArray());
    }

    static ConsumerMemberValue consumerMemberValue(byte[] bytes) {
        Bytes.Reader in = valueReader(bytes);
        return new ConsumerMemberValue(
                in.string(), in.string(), in.string(), in.string(), in.strings(), in.string(), in.string(), in.int32());
    }

    static CoordinatorRecord targetAssignment(String group, String member, Map<TopicId, List<Integer>> partitions) {
        byte[] key = memberKey(TARGET_ASSIGNMENT, group, member);
        return new CoordinatorRecord(
                key, partitions == null ? null : value().partitions(partitions).toArray());
    }

    static Map<TopicId, List<Integer>> targetAssignmentValue(byte[] bytes) {
        return valueReader(bytes).partitions();
    }

    static CoordinatorRecord currentAssignment(String group, String member, CurrentAssignmentValue value) {
        byte[] key = memberKey(CURRENT_ASSIGNMENT, group, member);
        if (value == null) {
            return new CoordinatorRecord(key, null);
        }
        return new CoordinatorRecord(
                key,
                value().int32(value.memberEpoch())
                        .int32(value.previousMemberEpoch())
                        .int8(value.state().code())
                        .partitions(value.assigned())
                        .partitions(value.pendingRevocation())
                        .toArray());
    }

    static CurrentAssignmentValue currentAssignmentValue(byte[] bytes) {
        Bytes.Reader in = valueReader(bytes);
        return new CurrentAssignmentValue(
                in.int32(), in.int32(), MemberState.ofCode(in.int8()), in.partitions(), in.partitions());
    }

    static CoordinatorRecord shareGroup(String group, ShareGroupValue value) {
        byte[] key = new Bytes.Writer().int16(SHARE_GROUP).string(group).toArray();
        if (value == null) {
            return new CoordinatorRecord(key, null);
        }
        Bytes.Writer out =
                value().int32(value.groupEpoch()).int32(value.partitionCounts().size());
        value.partitionCounts().forEach((topic, count) -> out.string(topic).int32(count));
        return new CoordinatorRecord(key, out.toArray());
    }

    static ShareGroupValue shareGroupValue(byte[] bytes) {
        Bytes.Reader in = valueReader(bytes);
        int epoch = in.int32();
        int topics = in.count();
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < topics; i++) {
            counts.put(in.string(), in.int32());
        }
        return new ShareGroupValue(epoch, counts);
    }

    static CoordinatorRecord shareMember(String group, String member, ShareMemberValue value) {
        byte[] key = memberKey(SHARE_MEMBER, group, member);
        if (value == null) {
            return new CoordinatorRecord(key, null);
        }
        return new CoordinatorRecord(
                key,
                value().int32(value.memberEpoch())
                        .int32(value.previousMemberEpoch())
                        .string(value.rackId())
                        .string(value.clientId())
                        .string(value.clientHost())
                        .strings(value.subscribedTopicNames())
                        .partitions(value.assigned())
                        .toArray());
    }

    static ShareMemberValue shareMemberValue(byte[] bytes) {
        Bytes.Reader in = valueReader(bytes);
        return new ShareMemberValue(
                in.int32(), in.int32(), in.string(), in.string(), in.string(), in.strings(), in.partitions());
    }
}
