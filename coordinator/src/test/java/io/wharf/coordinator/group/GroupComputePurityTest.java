package io.wharf.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.group.assignor.Assignor;
import io.wharf.coordinator.group.assignor.RangeAssignor;
import io.wharf.coordinator.group.assignor.UniformAssignor;
import io.wharf.coordinator.runtime.ComputeChecker;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.ManualTimer;
import io.wharf.coordinator.runtime.MemoryWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Compute changes no durable state, on every group API path: each operation (and each timer the shard sets) runs
 * through a {@link ComputeChecker}, which fails the test when the shard's durable state differs from what its log
 * says before compute, after compute (before the records are replayed), or after the runtime replayed them. Each
 * scenario also checks that it wrote the records it should, so the check is never vacuous.
 */
class GroupComputePurityTest {

    private static final GroupConfig CONFIG = new GroupConfig(
            1_000, 60_000, 0, 100, 45_000, 5_000, List.of("uniform", "range"), 4096, 1 << 20, 1_000_000);
    private static final int SESSION_MS = 10_000;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final MemoryWriter writer = new MemoryWriter();
    private final ManualTimer timer = new ManualTimer(clock);
    private final CoordinatorFixture.FakeTopics topics = new CoordinatorFixture.FakeTopics();
    private final List<String> shareMembersRemoved = new ArrayList<>();
    private final ComputeChecker<GroupCoordinatorShard> checker =
            new ComputeChecker<>(shard(ComputeChecker.replayOnly()), GroupComputePurityTest::assertSameDurableState);
    private final CoordinatorRuntime<GroupCoordinatorShard> runtime = new CoordinatorRuntime<>(
            "group coordinator", writer, context -> shard(checker.wrap(context)), Runnable::run, timer, 1L << 30);

    {
        runtime.load(0).join();
    }

    private GroupCoordinatorShard shard(CoordinatorRuntime.ShardContext<GroupCoordinatorShard> context) {
        Map<String, Assignor> assignors = new LinkedHashMap<>();
        assignors.put("uniform", new UniformAssignor());
        assignors.put("range", new RangeAssignor());
        ShareGroupSettings shareSettings = new ShareGroupSettings(
                ShareGroupSettings.defaults().configs(), 10, 10, (g, m, graceful) -> shareMembersRemoved.add(m));
        return new GroupCoordinatorShard(
                context, CONFIG, clock, topics, assignors, shareSettings, new ShareGroupIndex());
    }

    /** The durable state field by field, and as the records a snapshot would write. */
    private static void assertSameDurableState(
            GroupCoordinatorShard live, GroupCoordinatorShard shadow, String message) {
        assertThat(live.state()).as(message).usingRecursiveComparison().isEqualTo(shadow.state());
        assertThat(ComputeChecker.snapshotOf(live)).as(message).isEqualTo(ComputeChecker.snapshotOf(shadow));
    }

    // ---- running operations through the checker

    private <T> CompletableFuture<T> send(String name, Function<GroupCoordinatorShard, CoordinatorResult<T>> op) {
        CompletableFuture<T> answer = runtime.write(0, checker.checked(name, op));
        assertReplayed(name);
        return answer;
    }

    private <T> T call(String name, Function<GroupCoordinatorShard, CoordinatorResult<T>> op) {
        return send(name, op).join();
    }

    private <T> T read(String name, Function<GroupCoordinatorShard, T> op) {
        return call(name, s -> CoordinatorResult.answer(op.apply(s)));
    }

    private List<String> listedGroups() {
        List<ListGroupsResponseData.ListedGroup> listed =
                read("list", s -> s.admin().list());
        return listed.stream().map(ListGroupsResponseData.ListedGroup::groupId).toList();
    }

    private void assertReplayed(String when) {
        runtime.write(0, s -> {
                    checker.assertReplayed(s, when);
                    return CoordinatorResult.answer(null);
                })
                .join();
    }

    private void advance(long ms) {
        clock.advanceMs(ms);
        timer.runDue(clock.nowMs());
        assertReplayed("after " + ms + " ms");
    }

    /** The record types the checked operations wrote: values as the type, tombstones as minus one minus the type. */
    private Set<Integer> writtenTypes() {
        Set<Integer> types = new TreeSet<>();
        for (CoordinatorRecord record : checker.written()) {
            int type = GroupRecords.key(record.key()).type();
            types.add(record.isTombstone() ? -1 - type : type);
        }
        return types;
    }

    private static int tombstone(int type) {
        return -1 - type;
    }

    // ---- classic protocol

    private static JoinGroupRequestData joinRequest(String group, String memberId, String instanceId, byte metadata) {
        JoinGroupRequestData request = new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(SESSION_MS)
                .setProtocolType("consumer");
        request.protocols()
                .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range")
                        .setMetadata(new byte[] {metadata}));
        return request;
    }

    private CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, int version) {
        return send(
                "join " + request.groupId() + " as '" + request.memberId() + "'",
                s -> s.classic().join(request, (short) version, "client", "/10.0.0.1"));
    }

    private String memberIdFor(String group) {
        JoinGroupResponseData required =
                join(joinRequest(group, "", null, (byte) 1), 9).join();
        assertThat(Errors.forCode(required.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return required.memberId();
    }

    private CompletableFuture<SyncGroupResponseData> sync(
            String group, JoinGroupResponseData joined, String instanceId, Map<String, byte[]> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId(group)
                .setMemberId(joined.memberId())
                .setGroupInstanceId(instanceId)
                .setGenerationId(joined.generationId());
        assignments.forEach((member, bytes) -> request.assignments()
                .add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(member)
                        .setAssignment(bytes)));
        return send(
                "sync " + group + " as " + joined.memberId(), s -> s.classic().sync(request));
    }

    private Errors heartbeat(String group, String memberId, String instanceId, int generation) {
        HeartbeatRequestData request = new HeartbeatRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setGenerationId(generation);
        return Errors.forCode(
                call("heartbeat " + group + " as " + memberId, s -> s.classic().heartbeat(request))
                        .errorCode());
    }

    private void leave(String group, String memberId) {
        LeaveGroupRequestData request = new LeaveGroupRequestData()
                .setGroupId(group)
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId)));
        assertThat(call("leave " + group + " as " + memberId, s -> s.classic().leave(request, (short) 5))
                        .members()
                        .get(0)
                        .errorCode())
                .isEqualTo(Errors.NONE.code());
    }

    @Test
    void classicJoinSyncHeartbeatLeaveAndTheirTimers() {
        // The first join of a new group: it must not create the group before its first generation is recorded.
        String a = memberIdFor("g");
        JoinGroupResponseData joinedA =
                join(joinRequest("g", a, null, (byte) 1), 9).join();
        assertThat(joinedA.generationId()).isEqualTo(1);
        assertThat(sync("g", joinedA, null, Map.of(a, new byte[] {1})).join().assignment())
                .containsExactly(1);
        assertThat(heartbeat("g", a, null, 1)).isEqualTo(Errors.NONE);

        // A second member starts a rebalance that the first completes by rejoining.
        String b = memberIdFor("g");
        CompletableFuture<JoinGroupResponseData> joinB = join(joinRequest("g", b, null, (byte) 1), 9);
        assertThat(joinB).isNotDone();
        assertThat(heartbeat("g", a, null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData rejoinedA =
                join(joinRequest("g", a, null, (byte) 2), 9).join();
        assertThat(rejoinedA.generationId()).isEqualTo(2);
        CompletableFuture<SyncGroupResponseData> syncB = sync("g", joinB.join(), null, Map.of());
        assertThat(syncB).isNotDone();
        sync("g", rejoinedA, null, Map.of(a, new byte[] {1}, b, new byte[] {2})).join();
        assertThat(syncB.join().assignment()).containsExactly(2);

        // b leaves: a rebalance a completes alone.
        leave("g", b);
        assertThat(join(joinRequest("g", a, null, (byte) 2), 9).join().generationId())
                .isEqualTo(3);

        // A static member comes back under a new member id and keeps its place without a rebalance.
        JoinGroupResponseData staticJoin =
                join(joinRequest("s", "", "instance", (byte) 1), 9).join();
        sync("s", staticJoin, "instance", Map.of(staticJoin.memberId(), new byte[] {7}))
                .join();
        JoinGroupResponseData replaced =
                join(joinRequest("s", "", "instance", (byte) 3), 9).join();
        assertThat(replaced.memberId()).isNotEqualTo(staticJoin.memberId());
        assertThat(replaced.generationId()).isEqualTo(staticJoin.generationId());
        assertThat(heartbeat("s", staticJoin.memberId(), "instance", replaced.generationId()))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);

        // An old client's join (version 3) gets its member id at once.
        JoinGroupResponseData legacy =
                join(joinRequest("legacy", "", null, (byte) 1), 3).join();
        assertThat(legacy.generationId()).isEqualTo(1);

        // A handed-out member id that never comes back, and sessions that end.
        memberIdFor("g");
        advance(SESSION_MS + 1);
        assertThat(heartbeat("g", a, null, 3)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(read("describe g", s -> s.admin().describe("g", (short) 5)).groupState())
                .isEqualTo("Empty");

        // The group is empty: it can be deleted.
        assertThat(call("delete g", s -> s.admin().delete("g")).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(listedGroups()).doesNotContain("g");

        assertThat(writtenTypes()).contains(GroupRecords.CLASSIC_GROUP, tombstone(GroupRecords.CLASSIC_GROUP));
        assertThat(checker.checkedOperations()).anyMatch(name -> name.startsWith("timer session:"));
        assertThat(checker.checkedOperations()).anyMatch(name -> name.startsWith("timer pending:"));
    }

    @Test
    void aClassicGroupInItsFirstRebalanceExistsOnlyAsSoftState() {
        topics.add("orders", 1);
        String a = memberIdFor("g");
        String b = memberIdFor("g");
        CompletableFuture<JoinGroupResponseData> joinA = join(joinRequest("g", a, null, (byte) 1), 9);
        assertThat(joinA).as("b's member id is still expected").isNotDone();
        assertThat(read("describe g", s -> s.admin().describe("g", (short) 5)).groupState())
                .isEqualTo("PreparingRebalance");
        ConsumerGroupHeartbeatResponseData refused = consumerHeartbeat("g", "c", 0, List.of("orders"), null);
        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(writer.records(0))
                .as("nothing recorded before the first generation")
                .isEmpty();

        join(joinRequest("g", b, null, (byte) 1), 9).join();
        assertThat(joinA.join().generationId()).isEqualTo(1);
        assertThat(writtenTypes()).containsExactly(GroupRecords.CLASSIC_GROUP);
    }

    // ---- KIP-848 consumer protocol

    private ConsumerGroupHeartbeatResponseData consumerHeartbeat(
            String group, String memberId, int epoch, List<String> topicNames, Owned owned) {
        return consumerHeartbeat(group, memberId, null, epoch, topicNames, owned);
    }

    private ConsumerGroupHeartbeatResponseData consumerHeartbeat(
            String group, String memberId, String instanceId, int epoch, List<String> topicNames, Owned owned) {
        ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setInstanceId(instanceId)
                .setMemberEpoch(epoch)
                .setRebalanceTimeoutMs(epoch == 0 ? SESSION_MS : -1)
                .setSubscribedTopicNames(topicNames)
                .setTopicPartitions(owned == null ? (epoch == 0 ? List.of() : null) : owned.request());
        return call(
                "consumer heartbeat " + group + " as " + memberId + " at " + epoch,
                s -> s.consumer().heartbeat(request, (short) 1, "client", "/10.0.0.1"));
    }

    /** The partitions of one topic a member says it owns. */
    private record Owned(TopicId topic, List<Integer> partitions) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> request() {
            if (partitions.isEmpty()) {
                return List.of();
            }
            return List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(new Uuid(topic.mostSignificantBits(), topic.leastSignificantBits()))
                    .setPartitions(partitions));
        }
    }

    private static List<Integer> assigned(ConsumerGroupHeartbeatResponseData response) {
        List<Integer> partitions = new ArrayList<>();
        if (response.assignment() != null) {
            response.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        }
        return partitions.stream().sorted().toList();
    }

    @Test
    void consumerHeartbeatsLeavesFencingAndTheirTimers() {
        TopicId orders = topics.add("orders", 4);
        ConsumerGroupHeartbeatResponseData c1 = consumerHeartbeat("c", "c1", 0, List.of("orders"), null);
        assertThat(assigned(c1)).containsExactly(0, 1, 2, 3);
        consumerHeartbeat("c", "c1", c1.memberEpoch(), null, new Owned(orders, List.of(0, 1, 2, 3)));

        // c2 joins: c1 is asked to give partitions up before c2 gets them.
        ConsumerGroupHeartbeatResponseData c2 = consumerHeartbeat("c", "c2", 0, List.of("orders"), null);
        assertThat(assigned(c2)).isEmpty();
        ConsumerGroupHeartbeatResponseData revoke =
                consumerHeartbeat("c", "c1", c1.memberEpoch(), null, new Owned(orders, List.of(0, 1, 2, 3)));
        List<Integer> kept = assigned(revoke);
        assertThat(kept).hasSize(2);
        ConsumerGroupHeartbeatResponseData revoked =
                consumerHeartbeat("c", "c1", c1.memberEpoch(), null, new Owned(orders, kept));
        assertThat(revoked.memberEpoch()).isGreaterThan(c1.memberEpoch());
        assertThat(assigned(consumerHeartbeat("c", "c2", c2.memberEpoch(), null, new Owned(orders, List.of()))))
                .hasSize(2);

        // A static member leaves with epoch -2 and its instance comes back under a new member id.
        ConsumerGroupHeartbeatResponseData s1 = consumerHeartbeat("c", "s1", "instance", 0, List.of("orders"), null);
        assertThat(Errors.forCode(s1.errorCode())).isEqualTo(Errors.NONE);
        consumerHeartbeat("c", "s1", "instance", -2, null, null);
        ConsumerGroupHeartbeatResponseData s2 = consumerHeartbeat("c", "s2", "instance", 0, List.of("orders"), null);
        assertThat(Errors.forCode(s2.errorCode())).isEqualTo(Errors.NONE);

        // c2 leaves and c3 joins.
        assertThat(consumerHeartbeat("c", "c2", -1, null, null).memberEpoch()).isEqualTo(-1);
        consumerHeartbeat("c", "c3", 0, List.of("orders"), null);

        // A member that sits on a revocation is fenced after its rebalance timeout; then every session ends.
        TopicId pair = topics.add("pair", 2);
        ConsumerGroupHeartbeatResponseData r1 = consumerHeartbeat("r", "r1", 0, List.of("pair"), null);
        assertThat(assigned(r1)).containsExactly(0, 1);
        consumerHeartbeat("r", "r2", 0, List.of("pair"), null);
        ConsumerGroupHeartbeatResponseData sitting =
                consumerHeartbeat("r", "r1", r1.memberEpoch(), null, new Owned(pair, List.of(0, 1)));
        assertThat(assigned(sitting)).as("r1 is asked to give one partition up").hasSize(1);
        advance(SESSION_MS + 1);
        assertThat(read("describe r", s -> s.admin().describeConsumerGroup("r")).members())
                .extracting(m -> m.memberId())
                .containsExactly("r2");
        advance(CONFIG.consumerSessionTimeoutMs());
        assertThat(read("describe c", s -> s.admin().describeConsumerGroup("c")).members())
                .isEmpty();

        // An empty classic group becomes a consumer group.
        JoinGroupResponseData classic =
                join(joinRequest("converted", "", null, (byte) 1), 3).join();
        leave("converted", classic.memberId());
        ConsumerGroupHeartbeatResponseData converted = consumerHeartbeat("converted", "m", 0, List.of("orders"), null);
        assertThat(Errors.forCode(converted.errorCode())).isEqualTo(Errors.NONE);
        consumerHeartbeat("converted", "m", -1, null, null);

        assertThat(call("delete c", s -> s.admin().delete("c")).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(writtenTypes())
                .contains(
                        GroupRecords.CONSUMER_GROUP,
                        GroupRecords.CONSUMER_MEMBER,
                        GroupRecords.TARGET_ASSIGNMENT,
                        GroupRecords.TARGET_ASSIGNMENT_EPOCH,
                        GroupRecords.CURRENT_ASSIGNMENT,
                        tombstone(GroupRecords.CONSUMER_GROUP),
                        tombstone(GroupRecords.CONSUMER_MEMBER),
                        tombstone(GroupRecords.TARGET_ASSIGNMENT),
                        tombstone(GroupRecords.TARGET_ASSIGNMENT_EPOCH),
                        tombstone(GroupRecords.CURRENT_ASSIGNMENT),
                        tombstone(GroupRecords.CLASSIC_GROUP));
        assertThat(checker.checkedOperations()).anyMatch(name -> name.startsWith("timer consumer-revoke:"));
        assertThat(checker.checkedOperations()).anyMatch(name -> name.startsWith("timer consumer-session:"));
    }

    // ---- share groups

    private ShareGroupHeartbeatResponseData shareHeartbeat(String group, String memberId, int epoch) {
        ShareGroupHeartbeatRequestData request = new ShareGroupHeartbeatRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setSubscribedTopicNames(epoch == 0 ? List.of("jobs") : null);
        return call(
                "share heartbeat " + group + " as " + memberId + " at " + epoch,
                s -> s.share().heartbeat(request, "client", "/10.0.0.1"));
    }

    @Test
    void shareHeartbeatsLeavesAndSessions() {
        topics.add("jobs", 2);
        ShareGroupHeartbeatResponseData a = shareHeartbeat("q", "a", 0);
        assertThat(Errors.forCode(a.errorCode())).isEqualTo(Errors.NONE);
        shareHeartbeat("q", "b", 0);
        assertThat(shareHeartbeat("q", "a", a.memberEpoch()).memberEpoch()).isEqualTo(2);
        assertThat(read("describe q", s -> s.share().describe("q")).members()).hasSize(2);
        assertThat(shareHeartbeat("q", "b", -1).memberEpoch()).isEqualTo(-1);
        advance(ShareGroupSettings.defaults().configs().of("q").sessionTimeoutMs() + 1);
        assertThat(shareMembersRemoved).containsExactly("b", "a");

        assertThat(call("delete q", s -> s.admin().delete("q")).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(writtenTypes())
                .contains(
                        GroupRecords.SHARE_GROUP,
                        GroupRecords.SHARE_MEMBER,
                        tombstone(GroupRecords.SHARE_GROUP),
                        tombstone(GroupRecords.SHARE_MEMBER));
        assertThat(checker.checkedOperations()).anyMatch(name -> name.startsWith("timer share-session:"));
    }

    // ---- offsets and administration

    private Errors commit(String group, String memberId, int generation, int partition, long offset) {
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("orders")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition)
                                .setCommittedOffset(offset)
                                .setCommittedMetadata("at " + offset)))));
        short error = call(
                        "commit " + group + " as '" + memberId + "'",
                        s -> s.offsets().commit(request, (short) 8))
                .topics()
                .get(0)
                .partitions()
                .get(0)
                .errorCode();
        return Errors.forCode(error);
    }

    @Test
    void offsetCommitsDeletesExpiryAndAdministration() {
        topics.add("orders", 2);
        assertThat(commit("simple", "", -1, 0, 10)).isEqualTo(Errors.NONE);
        assertThat(commit("simple", "", -1, 1, 20)).isEqualTo(Errors.NONE);
        JoinGroupResponseData classic =
                join(joinRequest("classic", "", null, (byte) 1), 3).join();
        assertThat(commit("classic", classic.memberId(), classic.generationId(), 0, 5))
                .as("the classic leader has not synced yet")
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        sync("classic", classic, null, Map.of()).join();
        assertThat(commit("classic", classic.memberId(), classic.generationId(), 0, 5))
                .isEqualTo(Errors.NONE);
        ConsumerGroupHeartbeatResponseData member = consumerHeartbeat("consumer", "m", 0, List.of("orders"), null);
        assertThat(commit("consumer", "m", member.memberEpoch(), 0, 7)).isEqualTo(Errors.NONE);
        assertThat(commit("consumer", "m", member.memberEpoch() + 1, 0, 8))
                .as("a stale epoch before version 9")
                .isEqualTo(Errors.ILLEGAL_GENERATION);

        OffsetFetchRequestData.OffsetFetchRequestGroup fetch = new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId("simple")
                .setTopics(null);
        assertThat(read("fetch simple", s -> s.offsets().fetch(fetch))
                        .topics()
                        .get(0)
                        .partitions())
                .hasSize(2);
        OffsetDeleteRequestData delete = new OffsetDeleteRequestData()
                .setGroupId("simple")
                .setTopics(new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection(
                        List.of(new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                                        .setName("orders")
                                        .setPartitions(
                                                List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition()
                                                        .setPartitionIndex(1))))
                                .iterator()));
        assertThat(call("delete offsets of simple", s -> s.admin().deleteOffsets(delete))
                        .errorCode())
                .isEqualTo(Errors.NONE.code());
        assertThat(listedGroups()).contains("simple", "classic", "consumer");
        assertThat(read("describe classic", s -> s.admin().describe("classic", (short) 5))
                        .groupState())
                .isEqualTo("Stable");
        assertThat(read("describe consumer", s -> s.admin().describeConsumerGroup("consumer"))
                        .members())
                .hasSize(1);

        // Members go, and the retention passes: the offsets of the empty groups expire.
        leave("classic", classic.memberId());
        consumerHeartbeat("consumer", "m", -1, null, null);
        advance(CONFIG.offsetsRetentionMs() + OffsetOps.EXPIRATION_CHECK_INTERVAL_MS);
        assertThat(read("fetch simple", s -> s.offsets().fetch(fetch)).topics()).isEmpty();
        assertThat(call("delete consumer", s -> s.admin().delete("consumer")).errorCode())
                .isEqualTo(Errors.NONE.code());

        assertThat(writtenTypes())
                .contains(GroupRecords.OFFSET, tombstone(GroupRecords.OFFSET), tombstone(GroupRecords.CLASSIC_GROUP));
        assertThat(checker.checkedOperations()).anyMatch(name -> name.equals("timer expire-offsets"));
    }
}
