package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each mistake a group member can make gets its Kafka error, and the group is unchanged by it. */
class GroupBadInputTest {

    private static TestBroker broker;
    private static WireClient wire;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(
                Map.of("group.initial.rebalance.delay.ms", "0", "wharf.group.protocol.metadata.max.bytes", "1000"));
        wire = new WireClient(broker.bootstrapServers());
        FindCoordinatorResponseData found = wire.send(
                ApiKeys.FIND_COORDINATOR,
                (short) 4,
                new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("g")));
        assertThat(found.coordinators().get(0).errorCode()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        broker.close();
    }

    private static JoinGroupRequestData join(String group, String memberId, int metadataBytes) {
        JoinGroupRequestData request = new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000)
                .setProtocolType("consumer");
        request.protocols()
                .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range")
                        .setMetadata(new byte[metadataBytes]));
        return request;
    }

    private static JoinGroupResponseData send(JoinGroupRequestData request) throws Exception {
        return wire.send(ApiKeys.JOIN_GROUP, (short) 9, request);
    }

    /** A group with one member that completed its join and sync: returns {member id, generation}. */
    private static Object[] stableGroup(String group) throws Exception {
        JoinGroupResponseData first = send(join(group, "", 10));
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponseData joined = send(join(group, first.memberId(), 10));
        assertThat(joined.errorCode()).isZero();
        SyncGroupResponseData synced = wire.send(
                ApiKeys.SYNC_GROUP,
                (short) 5,
                new SyncGroupRequestData()
                        .setGroupId(group)
                        .setMemberId(joined.memberId())
                        .setGenerationId(joined.generationId())
                        .setProtocolType("consumer")
                        .setProtocolName("range")
                        .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(joined.memberId())
                                .setAssignment(new byte[] {1, 2, 3}))));
        assertThat(synced.errorCode()).isZero();
        assertThat(synced.assignment()).containsExactly(1, 2, 3);
        return new Object[] {joined.memberId(), joined.generationId()};
    }

    @Test
    void joinMistakes() throws Exception {
        assertThat(Errors.forCode(send(join("", "", 10)).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
        assertThat(Errors.forCode(
                        send(join("g1", "", 10).setSessionTimeoutMs(1)).errorCode()))
                .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(Errors.forCode(send(join("g1", "nobody", 10)).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(send(join("g1", "", 5000)).errorCode()))
                .as("protocol metadata over wharf.group.protocol.metadata.max.bytes")
                .isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void heartbeatsFromStrangersAndOldGenerationsAreRefused() throws Exception {
        Object[] member = stableGroup("g2");
        String memberId = (String) member[0];
        int generation = (int) member[1];
        assertThat(heartbeat("g2", memberId, generation)).isEqualTo(Errors.NONE);
        assertThat(heartbeat("g2", "stranger", generation)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(heartbeat("g2", memberId, generation - 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    private Errors heartbeat(String group, String memberId, int generation) throws Exception {
        HeartbeatResponseData response = wire.send(
                ApiKeys.HEARTBEAT,
                (short) 4,
                new HeartbeatRequestData()
                        .setGroupId(group)
                        .setMemberId(memberId)
                        .setGenerationId(generation));
        return Errors.forCode(response.errorCode());
    }

    @Test
    void commitsFromTheWrongGenerationOrWithHugeMetadataAreRefused() throws Exception {
        Object[] member = stableGroup("g3");
        OffsetCommitResponseData stale = wire.send(
                ApiKeys.OFFSET_COMMIT, (short) 8, commit("g3", (String) member[0], (int) member[1] + 5, "ok"));
        assertThat(Errors.forCode(stale.topics().get(0).partitions().get(0).errorCode()))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        OffsetCommitResponseData huge = wire.send(
                ApiKeys.OFFSET_COMMIT, (short) 8, commit("g3", (String) member[0], (int) member[1], "x".repeat(5000)));
        assertThat(Errors.forCode(huge.topics().get(0).partitions().get(0).errorCode()))
                .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
    }

    private static OffsetCommitRequestData commit(String group, String member, int generation, String metadata) {
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(group)
                .setMemberId(member)
                .setGenerationIdOrMemberEpoch(generation);
        request.topics()
                .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("t")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(5)
                                .setCommittedMetadata(metadata))));
        return request;
    }

    @Test
    void unknownAndNonEmptyGroupsCannotBeDescribedOrDeleted() throws Exception {
        stableGroup("g4");
        DescribeGroupsResponseData described = wire.send(
                ApiKeys.DESCRIBE_GROUPS,
                (short) 6,
                new DescribeGroupsRequestData().setGroups(List.of("g4", "missing")));
        assertThat(described.groups().get(0).groupState()).isEqualTo("Stable");
        assertThat(described.groups().get(0).members()).hasSize(1);
        assertThat(Errors.forCode(described.groups().get(1).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

        DeleteGroupsResponseData deleted = wire.send(
                ApiKeys.DELETE_GROUPS,
                (short) 2,
                new DeleteGroupsRequestData().setGroupsNames(List.of("g4", "missing")));
        assertThat(Errors.forCode(deleted.results().find("g4").errorCode())).isEqualTo(Errors.NON_EMPTY_GROUP);
        assertThat(Errors.forCode(deleted.results().find("missing").errorCode()))
                .isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void consumerProtocolMistakes() throws Exception {
        String memberId = Uuid.randomUuid().toString();
        ConsumerGroupHeartbeatResponseData joined = heartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g5")
                .setMemberId(memberId)
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(10_000)
                .setSubscribedTopicNames(List.of("t"))
                .setTopicPartitions(List.of()));
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.memberEpoch()).isPositive();

        ConsumerGroupHeartbeatResponseData fenced = heartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g5")
                .setMemberId(memberId)
                .setMemberEpoch(joined.memberEpoch() + 7));
        assertThat(Errors.forCode(fenced.errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);

        ConsumerGroupHeartbeatResponseData unknown = heartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g5")
                .setMemberId(Uuid.randomUuid().toString())
                .setMemberEpoch(3));
        assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        ConsumerGroupHeartbeatResponseData noSubscription = heartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g5")
                .setMemberId(Uuid.randomUuid().toString())
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(10_000)
                .setTopicPartitions(List.of()));
        assertThat(Errors.forCode(noSubscription.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(noSubscription.errorMessage()).contains("SubscribedTopicNames");

        ConsumerGroupHeartbeatResponseData badAssignor = heartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g5")
                .setMemberId(Uuid.randomUuid().toString())
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(10_000)
                .setSubscribedTopicNames(List.of("t"))
                .setTopicPartitions(List.of())
                .setServerAssignor("magic"));
        assertThat(Errors.forCode(badAssignor.errorCode())).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);

        ConsumerGroupHeartbeatResponseData classicGroup = heartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(stableGroupName())
                .setMemberId(Uuid.randomUuid().toString())
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(10_000)
                .setSubscribedTopicNames(List.of("t"))
                .setTopicPartitions(List.of()));
        assertThat(Errors.forCode(classicGroup.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    private static String stableGroupName() throws Exception {
        stableGroup("g6");
        return "g6";
    }

    private static ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request)
            throws Exception {
        return wire.send(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1, request);
    }
}
