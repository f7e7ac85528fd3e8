package io.wharf.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * A group coordinator partition that moves away and back, as when leadership of its {@code __consumer_offsets}
 * partition moves: requests waiting in it are answered NOT_COORDINATOR, its share groups leave the broker's index,
 * and loading it again rebuilds the same groups from its records.
 */
class GroupCoordinatorMoveTest {

    private static final GroupConfig CONFIG = new GroupConfig(
            1_000, 60_000, 0, 100, 45_000, 5_000, List.of("uniform", "range"), 4096, 1 << 20, 1_000_000);

    private final CoordinatorFixture fixture = new CoordinatorFixture(CONFIG);
    private final GroupCoordinator coordinator = fixture.coordinator;

    private static JoinGroupRequestData join(String memberId) {
        JoinGroupRequestData request = new JoinGroupRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setSessionTimeoutMs(30_000)
                .setRebalanceTimeoutMs(30_000)
                .setProtocolType("consumer");
        request.protocols()
                .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range")
                        .setMetadata(new byte[] {1}));
        return request;
    }

    private String memberId() {
        return coordinator.joinGroup(join(""), (short) 9, "c", "/h").join().memberId();
    }

    @Test
    void unloadingAnswersWaitingRequestsAndLoadingRebuildsTheSameGroups() {
        fixture.topics.add("jobs", 1);
        String a = memberId();
        JoinGroupResponseData joined =
                coordinator.joinGroup(join(a), (short) 9, "c", "/h").join();
        coordinator
                .syncGroup(new SyncGroupRequestData()
                        .setGroupId("g")
                        .setMemberId(a)
                        .setGenerationId(joined.generationId())
                        .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(a)
                                .setAssignment(new byte[] {4, 2}))))
                .join();
        coordinator
                .shareGroupHeartbeat(
                        new ShareGroupHeartbeatRequestData()
                                .setGroupId("q")
                                .setMemberId("s")
                                .setMemberEpoch(0)
                                .setSubscribedTopicNames(List.of("jobs")),
                        "c",
                        "/h")
                .join();
        assertThat(coordinator.isShareMember("q", "s")).isTrue();
        DescribeGroupsResponseData.DescribedGroup before =
                coordinator.describeGroup("g", (short) 5).join();
        String b = memberId();
        CompletableFuture<JoinGroupResponseData> waiting = coordinator.joinGroup(join(b), (short) 9, "c", "/h");
        assertThat(waiting).as("b waits for a to rejoin").isNotDone();

        coordinator.unload(0).join();

        assertThat(Errors.forCode(waiting.join().errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(coordinator.isShareMember("q", "s"))
                .as("the share group left this broker")
                .isFalse();
        assertThat(coordinator.isActive("g")).isFalse();
        OffsetCommitResponseData refused = coordinator
                .commitOffsets(
                        new OffsetCommitRequestData()
                                .setGroupId("simple")
                                .setGenerationIdOrMemberEpoch(-1)
                                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                        .setName("jobs")
                                        .setPartitions(
                                                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                        .setPartitionIndex(0)
                                                        .setCommittedOffset(1))))),
                        (short) 8)
                .join();
        assertThat(Errors.forCode(refused.topics().get(0).partitions().get(0).errorCode()))
                .isEqualTo(Errors.NOT_COORDINATOR);

        coordinator.load(0).join();

        DescribeGroupsResponseData.DescribedGroup after =
                coordinator.describeGroup("g", (short) 5).join();
        assertThat(after.groupState())
                .as("the rebalance b started was soft state: b joins again")
                .isEqualTo(before.groupState())
                .isEqualTo("Stable");
        assertThat(after.members()).hasSize(1);
        assertThat(after.members().get(0).memberId()).isEqualTo(a);
        assertThat(after.members().get(0).memberAssignment()).containsExactly(4, 2);
        assertThat(coordinator.isShareMember("q", "s")).isTrue();
        assertThat(coordinator.describeShareGroup("q").join().members()).hasSize(1);
    }
}
