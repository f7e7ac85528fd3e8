package io.wharf.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.junit.jupiter.api.Test;

/**
 * A coordinator partition that keeps being overwritten is rewritten as a snapshot of its live state, and a coordinator
 * loading the rewritten partition ends up where the original was.
 */
class CoordinatorSnapshotTest {

    private static final GroupConfig CONFIG = new GroupConfig(
            1_000, 60_000, 0, 100, 45_000, 5_000, List.of("uniform", "range"), 4096, 1 << 20, 1_000_000);
    private static final int PARTITIONS = 8;

    private final CoordinatorFixture fixture = new CoordinatorFixture(CONFIG, 8 * 1024);

    @Test
    void aRewrittenPartitionLoadsToTheSameGroupsAndOffsets() {
        JoinGroupRequestData join = new JoinGroupRequestData()
                .setGroupId("classic")
                .setMemberId("")
                .setGroupInstanceId("static-1")
                .setSessionTimeoutMs(30_000)
                .setRebalanceTimeoutMs(30_000)
                .setProtocolType("consumer");
        join.protocols()
                .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range")
                        .setMetadata(new byte[] {7}));
        JoinGroupResponseData joined =
                fixture.coordinator.joinGroup(join, (short) 9, "c", "/h").join();
        fixture.coordinator
                .syncGroup(new SyncGroupRequestData()
                        .setGroupId("classic")
                        .setMemberId(joined.memberId())
                        .setGroupInstanceId("static-1")
                        .setGenerationId(joined.generationId())
                        .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(joined.memberId())
                                .setAssignment(new byte[] {1, 2, 3}))))
                .join();

        Map<Integer, Long> expected = new TreeMap<>();
        for (int round = 0; round < 500; round++) {
            int partition = round % PARTITIONS;
            expected.put(partition, (long) round);
            commit("simple", partition, round);
        }
        List<?> written = fixture.writer.records(fixture.coordinator.partitionFor("simple"));
        assertThat(written.size())
                .as("500 overwrites of 8 offsets were rewritten down to the live state")
                .isLessThan(250);

        GroupCoordinator restarted = fixture.restarted(CONFIG);

        assertThat(offsets(restarted, "simple")).isEqualTo(expected);
        assertThat(offsets(fixture.coordinator, "simple")).isEqualTo(expected);
        var before = fixture.coordinator.describeGroup("classic", (short) 5).join();
        var after = restarted.describeGroup("classic", (short) 5).join();
        assertThat(after.groupState()).isEqualTo(before.groupState()).isEqualTo("Stable");
        assertThat(after.members()).hasSize(1);
        assertThat(after.members().get(0).memberId()).isEqualTo(joined.memberId());
        assertThat(after.members().get(0).groupInstanceId()).isEqualTo("static-1");
        assertThat(after.members().get(0).memberAssignment()).containsExactly(1, 2, 3);
    }

    private void commit(String group, int partition, long offset) {
        fixture.coordinator
                .commitOffsets(
                        new OffsetCommitRequestData()
                                .setGroupId(group)
                                .setGenerationIdOrMemberEpoch(-1)
                                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                        .setName("orders")
                                        .setPartitions(
                                                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                        .setPartitionIndex(partition)
                                                        .setCommittedOffset(offset)
                                                        .setCommittedMetadata("round " + offset))))),
                        (short) 8)
                .join();
    }

    private static Map<Integer, Long> offsets(GroupCoordinator coordinator, String group) {
        OffsetFetchResponseData.OffsetFetchResponseGroup fetched = coordinator
                .fetchOffsets(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                        .setGroupId(group)
                        .setTopics(null))
                .join();
        Map<Integer, Long> offsets = new TreeMap<>();
        fetched.topics()
                .forEach(
                        topic -> topic.partitions().forEach(p -> offsets.put(p.partitionIndex(), p.committedOffset())));
        return offsets;
    }
}
