package io.wharf.coordinator.group;

import static io.wharf.coordinator.runtime.HexBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.HexBytes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The records of {@code __consumer_offsets} byte by byte, as {@link GroupRecords} draws them: each type is written to
 * the documented bytes, and the documented bytes read back to the same record. What is on disk must stay readable by
 * every later version, so a change here is a change of the format.
 */
class GroupRecordsLayoutTest {

    private static final TopicId ID = new TopicId(0x0102030405060708L, 0x1112131415161718L);
    private static final String TOPIC_ID = "0102030405060708 1112131415161718";

    private static void assertLayout(CoordinatorRecord record, byte[] key, byte[] value) {
        assertThat(hex(record.key())).as("key").isEqualTo(hex(key));
        if (value == null) {
            assertThat(record.value()).as("a tombstone has no value").isNull();
        } else {
            assertThat(record.value()).as("value").isNotNull();
            assertThat(hex(record.value())).as("value").isEqualTo(hex(value));
        }
    }

    @Test
    void anOffsetCommit() {
        GroupRecords.OffsetValue offset = new GroupRecords.OffsetValue(42, 7, "m", 1_000);
        byte[] key = HexBytes.of(
                "0000", // int16 type 0
                "0001 67", // string group id "g"
                "0001 74", // string topic "t"
                "00000003"); // int32 partition 3
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "000000000000002a", // int64 offset 42
                "00000007", // int32 leader epoch 7
                "0001 6d", // string metadata "m"
                "00000000000003e8"); // int64 commit time 1000

        assertLayout(GroupRecords.offset("g", "t", 3, offset), key, value);
        assertThat(GroupRecords.key(key)).isEqualTo(new GroupRecords.Key(GroupRecords.OFFSET, "g", null, "t", 3));
        assertThat(GroupRecords.offsetValue(value)).isEqualTo(offset);
        assertLayout(GroupRecords.offset("g", "t", 3, null), key, null);
    }

    @Test
    void aPendingTransactionalOffsetAndTheTransactionEnd() {
        GroupRecords.OffsetValue offset = new GroupRecords.OffsetValue(42, 7, "m", 1000);
        byte[] key = HexBytes.of(
                "0009", // int16 type 9
                "0001 67", // string group id "g"
                "0001 74", // string topic "t"
                "00000003", // int32 partition 3
                "0000000000000005"); // int64 producer id 5
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "000000000000002a", // int64 offset 42
                "00000007", // int32 leader epoch 7
                "0001 6d", // string metadata "m"
                "00000000000003e8"); // int64 commit time 1000
        assertLayout(GroupRecords.pendingTxnOffset("g", "t", 3, 5, offset), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.PENDING_TXN_OFFSET, "g", null, "t", 3, 5));

        byte[] endKey = HexBytes.of("000a", "0000", "0000000000000005"); // type 10, empty group, producer id 5
        assertLayout(GroupRecords.transactionEnd(5, true), endKey, HexBytes.of("0000", "01"));
        assertLayout(GroupRecords.transactionEnd(5, false), endKey, HexBytes.of("0000", "00"));
        assertThat(GroupRecords.transactionEndCommits(HexBytes.of("0000", "01")))
                .isTrue();
        assertThat(GroupRecords.key(endKey))
                .isEqualTo(new GroupRecords.Key(GroupRecords.TXN_END, "", null, null, -1, 5));
    }

    @Test
    void anOffsetCommitWithoutMetadata() {
        GroupRecords.OffsetValue offset = new GroupRecords.OffsetValue(0, -1, null, 0);
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "0000000000000000", // int64 offset 0
                "ffffffff", // int32 leader epoch -1
                "ffff", // string metadata: null
                "0000000000000000"); // int64 commit time 0

        assertThat(hex(GroupRecords.offset("g", "t", 0, offset).value())).isEqualTo(hex(value));
        assertThat(GroupRecords.offsetValue(value)).isEqualTo(offset);
    }

    @Test
    void aClassicGroup() {
        GroupRecords.ClassicGroupValue group = new GroupRecords.ClassicGroupValue(
                "consumer",
                5,
                "range",
                "m",
                1_000,
                ClassicGroupState.STABLE,
                List.of(new ClassicMember(
                        "m",
                        "i",
                        "c",
                        "h",
                        30_000,
                        10_000,
                        List.of(new GroupRecords.Protocol("range", new byte[] {1, 2})),
                        new byte[] {9})));
        byte[] key = HexBytes.of(
                "0001", // int16 type 1
                "0001 67"); // string group id "g"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "0008 636f6e73756d6572", // string protocol type "consumer"
                "00000005", // int32 generation 5
                "0005 72616e6765", // string protocol name "range"
                "0001 6d", // string leader id "m"
                "00000000000003e8", // int64 state time 1000
                "03", // int8 state code 3: Stable
                "00000001", // int32 member count 1
                "0001 6d", //   string member id "m"
                "0001 69", //   string group instance id "i"
                "0001 63", //   string client id "c"
                "0001 68", //   string client host "h"
                "00007530", //   int32 rebalance timeout 30000
                "00002710", //   int32 session timeout 10000
                "00000001", //   int32 protocol count 1
                "0005 72616e6765", //     string name "range"
                "00000002 0102", //     bytes metadata {1, 2}
                "00000001 09"); //   bytes assignment {9}

        assertLayout(GroupRecords.classicGroup("g", group), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.CLASSIC_GROUP, "g", null, null, -1));
        assertThat(GroupRecords.classicGroupValue(value))
                .usingRecursiveComparison()
                .isEqualTo(group);
        assertLayout(GroupRecords.classicGroup("g", null), key, null);
    }

    @Test
    void anEmptyClassicGroup() {
        GroupRecords.ClassicGroupValue group = new GroupRecords.ClassicGroupValue(
                "consumer", 6, null, null, 2_000, ClassicGroupState.EMPTY, List.of());
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "0008 636f6e73756d6572", // string protocol type "consumer"
                "00000006", // int32 generation 6
                "ffff", // string protocol name: null
                "ffff", // string leader id: null
                "00000000000007d0", // int64 state time 2000
                "00", // int8 state code 0: Empty
                "00000000"); // int32 member count 0

        assertThat(hex(GroupRecords.classicGroup("g", group).value())).isEqualTo(hex(value));
        assertThat(GroupRecords.classicGroupValue(value)).isEqualTo(group);
    }

    @Test
    void aConsumerGroupEpoch() {
        byte[] key = HexBytes.of(
                "0002", // int16 type 2
                "0001 67"); // string group id "g"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "0000000b"); // int32 group epoch 11

        assertLayout(GroupRecords.consumerGroup("g", 11), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.CONSUMER_GROUP, "g", null, null, -1));
        assertThat(GroupRecords.epochValue(value)).isEqualTo(11);
        assertLayout(GroupRecords.consumerGroup("g", null), key, null);
    }

    @Test
    void aConsumerMember() {
        GroupRecords.ConsumerMemberValue member =
                new GroupRecords.ConsumerMemberValue(null, "r", "c", "h", List.of("t"), null, "uniform", 30_000);
        byte[] key = HexBytes.of(
                "0003", // int16 type 3
                "0001 67", // string group id "g"
                "0001 6d"); // string member id "m"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "ffff", // string instance id: null
                "0001 72", // string rack id "r"
                "0001 63", // string client id "c"
                "0001 68", // string client host "h"
                "00000001 0001 74", // list of string subscribed topic names ["t"]
                "ffff", // string subscribed regex: null
                "0007 756e69666f726d", // string server assignor "uniform"
                "00007530"); // int32 rebalance timeout 30000

        assertLayout(GroupRecords.consumerMember("g", "m", member), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.CONSUMER_MEMBER, "g", "m", null, -1));
        assertThat(GroupRecords.consumerMemberValue(value)).isEqualTo(member);
        assertLayout(GroupRecords.consumerMember("g", "m", null), key, null);
    }

    @Test
    void aTargetAssignment() {
        byte[] key = HexBytes.of(
                "0004", // int16 type 4
                "0001 67", // string group id "g"
                "0001 6d"); // string member id "m"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "00000001", // int32 topic count 1
                TOPIC_ID, //   topic id
                "00000002 00000000 00000002"); //   list of int32 partitions [0, 2]

        assertLayout(GroupRecords.targetAssignment("g", "m", Map.of(ID, List.of(0, 2))), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.TARGET_ASSIGNMENT, "g", "m", null, -1));
        assertThat(GroupRecords.targetAssignmentValue(value)).isEqualTo(Map.of(ID, List.of(0, 2)));
        assertLayout(GroupRecords.targetAssignment("g", "m", null), key, null);
    }

    @Test
    void aTargetAssignmentEpoch() {
        byte[] key = HexBytes.of(
                "0005", // int16 type 5
                "0001 67"); // string group id "g"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "0000000b"); // int32 epoch 11

        assertLayout(GroupRecords.targetAssignmentEpoch("g", 11), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.TARGET_ASSIGNMENT_EPOCH, "g", null, null, -1));
        assertThat(GroupRecords.epochValue(value)).isEqualTo(11);
        assertLayout(GroupRecords.targetAssignmentEpoch("g", null), key, null);
    }

    @Test
    void aCurrentAssignment() {
        GroupRecords.CurrentAssignmentValue assignment = new GroupRecords.CurrentAssignmentValue(
                11, 10, MemberState.UNREVOKED_PARTITIONS, Map.of(ID, List.of(0)), Map.of(ID, List.of(2)));
        byte[] key = HexBytes.of(
                "0006", // int16 type 6
                "0001 67", // string group id "g"
                "0001 6d"); // string member id "m"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "0000000b", // int32 member epoch 11
                "0000000a", // int32 previous member epoch 10
                "01", // int8 state code 1: UNREVOKED_PARTITIONS
                "00000001", // assigned: int32 topic count 1
                TOPIC_ID, //   topic id
                "00000001 00000000", //   list of int32 partitions [0]
                "00000001", // pending revocation: int32 topic count 1
                TOPIC_ID, //   topic id
                "00000001 00000002"); //   list of int32 partitions [2]

        assertLayout(GroupRecords.currentAssignment("g", "m", assignment), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.CURRENT_ASSIGNMENT, "g", "m", null, -1));
        assertThat(GroupRecords.currentAssignmentValue(value)).isEqualTo(assignment);
        assertLayout(GroupRecords.currentAssignment("g", "m", null), key, null);
    }

    @Test
    void aShareGroup() {
        GroupRecords.ShareGroupValue group = new GroupRecords.ShareGroupValue(4, Map.of("t", 2));
        byte[] key = HexBytes.of(
                "0007", // int16 type 7
                "0001 67"); // string group id "g"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "00000004", // int32 group epoch 4
                "00000001", // int32 topic count 1
                "0001 74", //   string topic name "t"
                "00000002"); //   int32 partition count 2

        assertLayout(GroupRecords.shareGroup("g", group), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.SHARE_GROUP, "g", null, null, -1));
        assertThat(GroupRecords.shareGroupValue(value)).isEqualTo(group);
        assertLayout(GroupRecords.shareGroup("g", null), key, null);
    }

    @Test
    void aShareMember() {
        GroupRecords.ShareMemberValue member =
                new GroupRecords.ShareMemberValue(4, 3, null, "c", "h", List.of("t"), Map.of(ID, List.of(1)));
        byte[] key = HexBytes.of(
                "0008", // int16 type 8
                "0001 67", // string group id "g"
                "0001 6d"); // string member id "m"
        byte[] value = HexBytes.of(
                "0000", // int16 version 0
                "00000004", // int32 member epoch 4
                "00000003", // int32 previous member epoch 3
                "ffff", // string rack id: null
                "0001 63", // string client id "c"
                "0001 68", // string client host "h"
                "00000001 0001 74", // list of string subscribed topic names ["t"]
                "00000001", // assigned: int32 topic count 1
                TOPIC_ID, //   topic id
                "00000001 00000001"); //   list of int32 partitions [1]

        assertLayout(GroupRecords.shareMember("g", "m", member), key, value);
        assertThat(GroupRecords.key(key))
                .isEqualTo(new GroupRecords.Key(GroupRecords.SHARE_MEMBER, "g", "m", null, -1));
        assertThat(GroupRecords.shareMemberValue(value)).isEqualTo(member);
        assertLayout(GroupRecords.shareMember("g", "m", null), key, null);
    }

    @Test
    void everyStateCodeIsTheDocumentedOne() {
        assertThat(Arrays.stream(ClassicGroupState.values()).map(ClassicGroupState::code))
                .containsExactly(0, 1, 2, 3, 4);
        assertThat(Arrays.stream(ClassicGroupState.values()).filter(ClassicGroupState::isRecorded))
                .containsExactly(
                        ClassicGroupState.EMPTY, ClassicGroupState.COMPLETING_REBALANCE, ClassicGroupState.STABLE);
        assertThat(Arrays.stream(MemberState.values()).map(MemberState::code)).containsExactly(0, 1, 2);
        for (MemberState state : MemberState.values()) {
            assertThat(MemberState.ofCode(state.code())).isEqualTo(state);
        }
    }

    @Test
    void aCodeThatNamesNoStateIsRefused() {
        byte[] classic = GroupRecords.classicGroup(
                        "g",
                        new GroupRecords.ClassicGroupValue(
                                "consumer", 1, null, null, 0, ClassicGroupState.EMPTY, List.of()))
                .value();
        int stateAt = 2 + 10 + 4 + 2 + 2 + 8;
        assertThat(classic[stateAt]).isEqualTo((byte) 0);
        classic[stateAt] = 9;
        assertThatThrownBy(() -> GroupRecords.classicGroupValue(classic))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("code 9");
        classic[stateAt] = (byte) ClassicGroupState.PREPARING_REBALANCE.code();
        assertThatThrownBy(() -> GroupRecords.classicGroupValue(classic))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never recorded");

        byte[] current = GroupRecords.currentAssignment(
                        "g", "m", new GroupRecords.CurrentAssignmentValue(1, 0, MemberState.STABLE, Map.of(), Map.of()))
                .value();
        int memberStateAt = 2 + 4 + 4;
        current[memberStateAt] = 3;
        assertThatThrownBy(() -> GroupRecords.currentAssignmentValue(current))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("code 3");
    }

    @Test
    void unknownTypesAndVersionsAreRefused() {
        assertThatThrownBy(() -> GroupRecords.key(HexBytes.of("000b 0001 67")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type 11");
        assertThatThrownBy(() -> GroupRecords.epochValue(HexBytes.of("0001 0000000b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 1");
    }

    @Test
    void everyTruncationIsRefused() {
        List<CoordinatorRecord> records = List.of(
                GroupRecords.offset("g", "t", 3, new GroupRecords.OffsetValue(42, 7, "m", 1_000)),
                GroupRecords.classicGroup(
                        "g",
                        new GroupRecords.ClassicGroupValue(
                                "consumer",
                                5,
                                "range",
                                "m",
                                1_000,
                                ClassicGroupState.STABLE,
                                List.of(new ClassicMember(
                                        "m",
                                        null,
                                        "c",
                                        "h",
                                        1,
                                        2,
                                        List.of(new GroupRecords.Protocol("range", new byte[] {1})),
                                        new byte[] {9})))),
                GroupRecords.consumerGroup("g", 11),
                GroupRecords.consumerMember(
                        "g",
                        "m",
                        new GroupRecords.ConsumerMemberValue("i", "r", "c", "h", List.of("t"), "t.*", "u", 1)),
                GroupRecords.targetAssignment("g", "m", Map.of(ID, List.of(0, 2))),
                GroupRecords.targetAssignmentEpoch("g", 11),
                GroupRecords.currentAssignment(
                        "g",
                        "m",
                        new GroupRecords.CurrentAssignmentValue(
                                11, 10, MemberState.STABLE, Map.of(ID, List.of(0)), Map.of())),
                GroupRecords.shareGroup("g", new GroupRecords.ShareGroupValue(4, Map.of("t", 2))),
                GroupRecords.shareMember(
                        "g",
                        "m",
                        new GroupRecords.ShareMemberValue(4, 3, "r", "c", "h", List.of("t"), Map.of(ID, List.of(1)))));
        for (CoordinatorRecord record : records) {
            int type = GroupRecords.key(record.key()).type();
            Function<byte[], Object> decoder = valueDecoder(type);
            for (int length = 0; length < record.key().length; length++) {
                byte[] cut = Arrays.copyOf(record.key(), length);
                assertThatThrownBy(() -> GroupRecords.key(cut))
                        .as("type %d key cut to %d bytes", type, length)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            for (int length = 0; length < record.value().length; length++) {
                byte[] cut = Arrays.copyOf(record.value(), length);
                assertThatThrownBy(() -> decoder.apply(cut))
                        .as("type %d value cut to %d bytes", type, length)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    private static Function<byte[], Object> valueDecoder(int type) {
        return switch (type) {
            case GroupRecords.OFFSET -> GroupRecords::offsetValue;
            case GroupRecords.CLASSIC_GROUP -> GroupRecords::classicGroupValue;
            case GroupRecords.CONSUMER_GROUP, GroupRecords.TARGET_ASSIGNMENT_EPOCH -> GroupRecords::epochValue;
            case GroupRecords.CONSUMER_MEMBER -> GroupRecords::consumerMemberValue;
            case GroupRecords.TARGET_ASSIGNMENT -> GroupRecords::targetAssignmentValue;
            case GroupRecords.CURRENT_ASSIGNMENT -> GroupRecords::currentAssignmentValue;
            case GroupRecords.SHARE_GROUP -> GroupRecords::shareGroupValue;
            case GroupRecords.SHARE_MEMBER -> GroupRecords::shareMemberValue;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }
}
