package io.wharf.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.coordinator.share.OffsetReset;
import io.wharf.coordinator.share.ShareGroupConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Share group membership on one coordinator with a manual clock: every member gets partitions even when there are
 * more members than partitions, members that leave or go quiet are removed (and the listener hears it), and bad
 * heartbeats change nothing.
 */
class ShareGroupHeartbeatTest {

    private static final GroupConfig CONFIG = new GroupConfig(
            1_000, 60_000, 0, 100, 45_000, 5_000, List.of("uniform", "range"), 4096, 1 << 20, 1_000_000);
    private static final ShareGroupConfig SHARE_CONFIG = new ShareGroupConfig(
            10_000, 1_000, 30_000, 5, 2_000, new OffsetReset(OffsetReset.Kind.EARLIEST, null), null, false);

    private final List<String> removed = new ArrayList<>();
    private final CoordinatorFixture fixture = new CoordinatorFixture(
            CONFIG,
            1 << 30,
            new ShareGroupSettings(
                    g -> SHARE_CONFIG, 4, 2, (g, m, graceful) -> removed.add(m + (graceful ? " left" : " expired"))));

    {
        fixture.topics.add("jobs", 2);
    }

    private ShareGroupHeartbeatResponseData heartbeat(String group, String member, int epoch) {
        return fixture.coordinator
                .shareGroupHeartbeat(
                        new ShareGroupHeartbeatRequestData()
                                .setGroupId(group)
                                .setMemberId(member)
                                .setMemberEpoch(epoch)
                                .setSubscribedTopicNames(epoch == 0 ? List.of("jobs") : null),
                        "client",
                        "/127.0.0.1")
                .join();
    }

    private static Set<Integer> partitions(ShareGroupHeartbeatResponseData response) {
        Set<Integer> partitions = new TreeSet<>();
        response.assignment().topicPartitions().forEach(t -> partitions.addAll(t.partitions()));
        return partitions;
    }

    private static Errors error(ShareGroupHeartbeatResponseData response) {
        return Errors.forCode(response.errorCode());
    }

    @Test
    void everyMemberGetsPartitionsAndPartitionsAreShared() {
        ShareGroupHeartbeatResponseData a = heartbeat("q", "a", 0);
        assertThat(error(a)).isEqualTo(Errors.NONE);
        assertThat(partitions(a)).containsExactly(0, 1);
        heartbeat("q", "b", 0);
        heartbeat("q", "c", 0);
        ShareGroupHeartbeatResponseData again = heartbeat("q", "a", a.memberEpoch());
        assertThat(again.memberEpoch()).as("a learns the new epoch").isEqualTo(3);

        ShareGroupDescribeResponseData.DescribedGroup group =
                fixture.coordinator.describeShareGroup("q").join();
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.members())
                .hasSize(3)
                .allSatisfy(m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
        assertThat(fixture.coordinator.isShareMember("q", "b")).isTrue();
    }

    @Test
    void aLostResponseIsSentAgainForThePreviousEpoch() {
        ShareGroupHeartbeatResponseData first = heartbeat("q", "a", 0);
        heartbeat("q", "b", 0);
        ShareGroupHeartbeatResponseData moved = heartbeat("q", "a", first.memberEpoch());
        assertThat(partitions(moved)).hasSize(1);
        ShareGroupHeartbeatResponseData resent = heartbeat("q", "a", first.memberEpoch());
        assertThat(error(resent)).isEqualTo(Errors.NONE);
        assertThat(partitions(resent)).isEqualTo(partitions(moved));
        assertThat(heartbeat("q", "a", moved.memberEpoch()).assignment())
                .as("nothing new to tell")
                .isNull();
    }

    @Test
    void badHeartbeatsGetTheirErrorAndChangeNothing() {
        assertThat(error(heartbeat("q", "a", 5))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        ShareGroupHeartbeatResponseData a = heartbeat("q", "a", 0);
        assertThat(error(heartbeat("q", "a", a.memberEpoch() + 7))).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(error(heartbeat("q", "ghost", 3))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(heartbeat("q", "", 0))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(error(heartbeat("q", "b", -2))).isEqualTo(Errors.INVALID_REQUEST);
        ShareGroupHeartbeatResponseData noTopics = fixture.coordinator
                .shareGroupHeartbeat(
                        new ShareGroupHeartbeatRequestData()
                                .setGroupId("q")
                                .setMemberId("c")
                                .setMemberEpoch(0),
                        "client",
                        "/h")
                .join();
        assertThat(error(noTopics)).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(fixture.coordinator.describeShareGroup("q").join().members()).hasSize(1);
    }

    @Test
    void limitsOnMembersAndGroups() {
        for (String member : List.of("a", "b", "c", "d")) {
            assertThat(error(heartbeat("q", member, 0))).isEqualTo(Errors.NONE);
        }
        assertThat(error(heartbeat("q", "e", 0))).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(error(heartbeat("r", "a", 0))).isEqualTo(Errors.NONE);
        assertThat(error(heartbeat("s", "a", 0)))
                .as("two share groups is this coordinator's limit")
                .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    }

    private Errors consumerJoin(String group) {
        return Errors.forCode(fixture.coordinator
                .consumerGroupHeartbeat(
                        new ConsumerGroupHeartbeatRequestData()
                                .setGroupId(group)
                                .setMemberId("m")
                                .setMemberEpoch(0)
                                .setRebalanceTimeoutMs(1_000)
                                .setSubscribedTopicNames(List.of("jobs"))
                                .setTopicPartitions(List.of()),
                        (short) 1,
                        "client",
                        "/h")
                .join()
                .errorCode());
    }

    @Test
    void aGroupIdBelongsToOneKindOfGroup() {
        assertThat(consumerJoin("kafka")).isEqualTo(Errors.NONE);
        assertThat(error(heartbeat("kafka", "a", 0))).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        heartbeat("q", "a", 0);
        assertThat(consumerJoin("q")).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void membersThatLeaveOrGoQuietAreRemovedAndReported() {
        ShareGroupHeartbeatResponseData a = heartbeat("q", "a", 0);
        heartbeat("q", "b", 0);
        ShareGroupHeartbeatResponseData left = heartbeat("q", "a", -1);
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(removed).containsExactly("a left");
        assertThat(fixture.coordinator.isShareMember("q", "a")).isFalse();

        fixture.advance(SHARE_CONFIG.sessionTimeoutMs());
        assertThat(removed).containsExactly("a left", "b expired");
        assertThat(fixture.coordinator.describeShareGroup("q").join().groupState())
                .isEqualTo("Empty");
        assertThat(error(heartbeat("q", "a", a.memberEpoch()))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aRestartKeepsMembersAndTheirAssignments() {
        ShareGroupHeartbeatResponseData a = heartbeat("q", "a", 0);
        ShareGroupHeartbeatResponseData b = heartbeat("q", "b", 0);
        GroupCoordinator again = fixture.restarted(CONFIG);
        ShareGroupDescribeResponseData.DescribedGroup group =
                again.describeShareGroup("q").join();
        assertThat(group.members())
                .extracting(ShareGroupDescribeResponseData.Member::memberId)
                .containsExactlyInAnyOrder("a", "b");
        assertThat(again.isShareMember("q", "a")).isTrue();
        assertThat(Errors.forCode(again.shareGroupHeartbeat(
                                new ShareGroupHeartbeatRequestData()
                                        .setGroupId("q")
                                        .setMemberId("b")
                                        .setMemberEpoch(b.memberEpoch()),
                                "client",
                                "/h")
                        .join()
                        .errorCode()))
                .isEqualTo(Errors.NONE);
        assertThat(a.memberEpoch()).isLessThan(b.memberEpoch());
    }
}
