package io.wharf.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.TopicId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The KIP-848 protocol step by step on one coordinator: partitions move only after their owner revoked them, a member
 * that sits on a revocation is fenced after its rebalance timeout, and a restarted coordinator rebuilds the same group
 * from its records.
 */
class ConsumerGroupReconciliationTest {

    private static final GroupConfig CONFIG = new GroupConfig(
            1_000, 60_000, 0, 100, 45_000, 5_000, List.of("uniform", "range"), 4096, 1 << 20, 1_000_000);

    private final CoordinatorFixture fixture = new CoordinatorFixture(CONFIG);
    private final TopicId topic = fixture.topics.add("orders", 4);

    private ConsumerGroupHeartbeatResponseData heartbeat(
            String memberId, int epoch, Set<Integer> owned, boolean first) {
        ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setRebalanceTimeoutMs(first ? 10_000 : -1)
                .setSubscribedTopicNames(first ? List.of("orders") : null)
                .setTopicPartitions(owned == null ? null : ownedPartitions(owned));
        return fixture.coordinator
                .consumerGroupHeartbeat(request, (short) 1, "c", "/h")
                .join();
    }

    private List<ConsumerGroupHeartbeatRequestData.TopicPartitions> ownedPartitions(Set<Integer> partitions) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        return List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                .setTopicId(Uuid.fromString(topic.toString()))
                .setPartitions(new ArrayList<>(partitions)));
    }

    private static Set<Integer> assigned(ConsumerGroupHeartbeatResponseData response) {
        Set<Integer> partitions = new TreeSet<>();
        if (response.assignment() != null) {
            response.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        }
        return partitions;
    }

    private static Errors error(ConsumerGroupHeartbeatResponseData response) {
        return Errors.forCode(response.errorCode());
    }

    @Test
    void aPartitionMovesOnlyAfterItsOwnerRevokedIt() {
        ConsumerGroupHeartbeatResponseData a0 = heartbeat("a", 0, Set.of(), true);
        assertThat(error(a0)).isEqualTo(Errors.NONE);
        assertThat(assigned(a0)).containsExactly(0, 1, 2, 3);
        int epochA = a0.memberEpoch();
        heartbeat("a", epochA, Set.of(0, 1, 2, 3), false);

        ConsumerGroupHeartbeatResponseData b0 = heartbeat("b", 0, Set.of(), true);
        assertThat(error(b0)).isEqualTo(Errors.NONE);
        assertThat(assigned(b0)).as("everything is still owned by a").isEmpty();

        ConsumerGroupHeartbeatResponseData a1 = heartbeat("a", epochA, Set.of(0, 1, 2, 3), false);
        Set<Integer> keptByA = assigned(a1);
        assertThat(keptByA).as("a is told to give up half").hasSize(2);
        assertThat(a1.memberEpoch())
                .as("the epoch moves only once the revocation is done")
                .isEqualTo(epochA);

        ConsumerGroupHeartbeatResponseData b1 = heartbeat("b", b0.memberEpoch(), Set.of(), false);
        assertThat(assigned(b1)).as("a has not confirmed yet").isEmpty();
        assertThat(fixture.coordinator.describeConsumerGroup("g").join().groupState())
                .isEqualTo("Reconciling");

        ConsumerGroupHeartbeatResponseData a2 = heartbeat("a", epochA, keptByA, false);
        assertThat(error(a2)).isEqualTo(Errors.NONE);
        assertThat(a2.memberEpoch()).isGreaterThan(epochA);

        ConsumerGroupHeartbeatResponseData b2 = heartbeat("b", b1.memberEpoch(), Set.of(), false);
        Set<Integer> toB = assigned(b2);
        assertThat(toB).hasSize(2).doesNotContainAnyElementsOf(keptByA);
        assertThat(b2.memberEpoch()).isEqualTo(a2.memberEpoch());

        assertThat(fixture.coordinator.describeConsumerGroup("g").join().groupState())
                .as("every member is at the target epoch with nothing to revoke")
                .isEqualTo("Stable");
    }

    @Test
    void aMemberThatHoldsOnToRevokedPartitionsIsFencedAfterItsRebalanceTimeout() {
        ConsumerGroupHeartbeatResponseData a0 = heartbeat("a", 0, Set.of(), true);
        heartbeat("a", a0.memberEpoch(), Set.of(0, 1, 2, 3), false);
        ConsumerGroupHeartbeatResponseData b0 = heartbeat("b", 0, Set.of(), true);
        ConsumerGroupHeartbeatResponseData a1 = heartbeat("a", a0.memberEpoch(), Set.of(0, 1, 2, 3), false);
        assertThat(assigned(a1)).hasSize(2);

        for (int i = 0; i < 3; i++) {
            fixture.advance(3_000);
            heartbeat("a", a0.memberEpoch(), Set.of(0, 1, 2, 3), false);
            heartbeat("b", b0.memberEpoch(), Set.of(), false);
        }
        fixture.advance(1_001);

        ConsumerGroupHeartbeatResponseData fenced = heartbeat("a", a0.memberEpoch(), Set.of(0, 1, 2, 3), false);
        assertThat(error(fenced)).isIn(Errors.UNKNOWN_MEMBER_ID, Errors.FENCED_MEMBER_EPOCH);
        ConsumerGroupHeartbeatResponseData b1 = heartbeat("b", b0.memberEpoch(), Set.of(), false);
        assertThat(assigned(b1)).as("b takes over everything a held").containsExactly(0, 1, 2, 3);
    }

    @Test
    void aMemberThatStopsHeartbeatingLosesItsPartitionsAfterItsSession() {
        ConsumerGroupHeartbeatResponseData a0 = heartbeat("a", 0, Set.of(), true);
        heartbeat("a", a0.memberEpoch(), Set.of(0, 1, 2, 3), false);
        ConsumerGroupHeartbeatResponseData b0 = heartbeat("b", 0, Set.of(), true);

        fixture.advance(40_000);
        heartbeat("b", b0.memberEpoch(), Set.of(), false);
        fixture.advance(5_001);

        ConsumerGroupHeartbeatResponseData b1 = heartbeat("b", b0.memberEpoch(), Set.of(), false);
        assertThat(assigned(b1)).containsExactly(0, 1, 2, 3);
        assertThat(error(heartbeat("a", a0.memberEpoch(), Set.of(0, 1, 2, 3), false)))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aRestartedCoordinatorRebuildsTheGroupAndItsOffsets() {
        ConsumerGroupHeartbeatResponseData a0 = heartbeat("a", 0, Set.of(), true);
        heartbeat("a", a0.memberEpoch(), Set.of(0, 1, 2, 3), false);
        fixture.coordinator
                .commitOffsets(
                        new OffsetCommitRequestData()
                                .setGroupId("g")
                                .setMemberId("a")
                                .setGenerationIdOrMemberEpoch(a0.memberEpoch())
                                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                        .setName("orders")
                                        .setPartitions(
                                                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                        .setPartitionIndex(2)
                                                        .setCommittedOffset(42)
                                                        .setCommittedMetadata("m"))))),
                        (short) 9)
                .join();
        ConsumerGroupDescribeResponseData.DescribedGroup before =
                fixture.coordinator.describeConsumerGroup("g").join();

        GroupCoordinator restarted = fixture.restarted(CONFIG);

        ConsumerGroupDescribeResponseData.DescribedGroup after =
                restarted.describeConsumerGroup("g").join();
        assertThat(after.groupEpoch()).isEqualTo(before.groupEpoch());
        assertThat(after.assignmentEpoch()).isEqualTo(before.assignmentEpoch());
        assertThat(after.members()).hasSize(1);
        assertThat(after.members().get(0).memberEpoch())
                .isEqualTo(before.members().get(0).memberEpoch());
        assertThat(after.members().get(0).assignment())
                .isEqualTo(before.members().get(0).assignment());

        OffsetFetchResponseData.OffsetFetchResponseGroup offsets = restarted
                .fetchOffsets(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                        .setGroupId("g")
                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                .setName("orders")
                                .setPartitionIndexes(List.of(2)))))
                .join();
        OffsetFetchResponseData.OffsetFetchResponsePartitions partition =
                offsets.topics().get(0).partitions().get(0);
        assertThat(partition.committedOffset()).isEqualTo(42);
        assertThat(partition.metadata()).isEqualTo("m");
    }
}
