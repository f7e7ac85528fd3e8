package io.wharf.coordinator.group;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.group.assignor.Assignor;
import io.wharf.coordinator.group.assignor.RangeAssignor;
import io.wharf.coordinator.group.assignor.UniformAssignor;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.runtime.NotCoordinatorException;
import io.wharf.coordinator.runtime.PartitionWriter;
import io.wharf.coordinator.runtime.ShardedCoordinator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator as the broker's handlers see it: each request goes to the shard of the
 * {@code __consumer_offsets} partition its group id hashes to (Kafka's rule: the id's hash code, made non-negative,
 * modulo the partition count), and runtime failures become the coordinator errors clients retry on.
 */
public final class GroupCoordinator implements ShardedCoordinator {

    /** The internal topic that holds groups and offsets. */
    public static final String TOPIC = "__consumer_offsets";

    private final CoordinatorRuntime<GroupCoordinatorShard> runtime;
    private final int partitions;
    private final ShareGroupIndex shareIndex = new ShareGroupIndex();

    public GroupCoordinator(
            int partitions,
            PartitionWriter writer,
            Executor pool,
            CoordinatorTimer timer,
            Clock clock,
            GroupConfig config,
            TopicsView topics,
            long snapshotBytes,
            ShareGroupSettings shareSettings) {
        this.partitions = partitions;
        Map<String, Assignor> assignors = new LinkedHashMap<>();
        for (Assignor assignor : List.of(new UniformAssignor(), new RangeAssignor())) {
            if (config.consumerAssignors().contains(assignor.name())) {
                assignors.put(assignor.name(), assignor);
            }
        }
        this.runtime = new CoordinatorRuntime<>(
                "group coordinator",
                writer,
                context ->
                        new GroupCoordinatorShard(context, config, clock, topics, assignors, shareSettings, shareIndex),
                pool,
                timer,
                snapshotBytes);
    }

    public int partitions() {
        return partitions;
    }

    /** The partition of {@code __consumer_offsets} that holds {@code groupId}. */
    public int partitionFor(String groupId) {
        return partitionFor(groupId, partitions);
    }

    /** The partition of a {@code __consumer_offsets} of {@code partitions} partitions that holds {@code groupId}. */
    public static int partitionFor(String groupId, int partitions) {
        return (groupId.hashCode() & 0x7fffffff) % partitions;
    }

    /** Loads (replays) every partition. */
    public CompletableFuture<Void> loadAll() {
        return runtime.loadAll(partitions);
    }

    /**
     * Loads one partition: replays it into a new shard, which then serves its groups. Call when this broker becomes
     * the partition's leader; requests for its groups are answered COORDINATOR_LOAD_IN_PROGRESS meanwhile.
     */
    @Override
    public CompletableFuture<Void> load(int partition) {
        return runtime.load(partition);
    }

    /**
     * Unloads one partition: its waiting and queued requests are answered NOT_COORDINATOR, its timers stop, and its
     * share groups leave this broker's index. Call when this broker stops leading the partition.
     */
    @Override
    public CompletableFuture<Void> unload(int partition) {
        return runtime.unload(partition);
    }

    /** Whether the group's partition is loaded and serving. */
    public boolean isActive(String groupId) {
        return runtime.isActive(partitionFor(groupId));
    }

    /** The error a client gets when the coordinator could not serve its request. */
    static Errors errorFor(Throwable failure) {
        return NotCoordinatorException.errorFor(failure);
    }

    private <T> CompletableFuture<T> write(
            String groupId,
            Function<GroupCoordinatorShard, io.wharf.coordinator.runtime.CoordinatorResult<T>> op,
            Function<Errors, T> onError) {
        return runtime.write(partitionFor(groupId), op).exceptionally(failure -> onError.apply(errorFor(failure)));
    }

    private <T> CompletableFuture<T> read(
            String groupId, Function<GroupCoordinatorShard, T> op, Function<Errors, T> onError) {
        return runtime.read(partitionFor(groupId), op).exceptionally(failure -> onError.apply(errorFor(failure)));
    }

    public CompletableFuture<JoinGroupResponseData> joinGroup(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        return write(
                request.groupId(),
                s -> s.classic().join(request, version, clientId, clientHost),
                error -> new JoinGroupResponseData()
                        .setErrorCode(error.code())
                        .setMemberId(request.memberId())
                        .setGenerationId(-1)
                        .setLeader("")
                        .setProtocolName(null));
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request) {
        return write(
                request.groupId(),
                s -> s.classic().sync(request),
                error -> new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]));
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        return write(
                request.groupId(),
                s -> s.classic().heartbeat(request),
                error -> new HeartbeatResponseData().setErrorCode(error.code()));
    }

    public CompletableFuture<LeaveGroupResponseData> leaveGroup(LeaveGroupRequestData request, short version) {
        return write(
                request.groupId(),
                s -> s.classic().leave(request, version),
                error -> new LeaveGroupResponseData().setErrorCode(error.code()));
    }

    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            ConsumerGroupHeartbeatRequestData request, short version, String clientId, String clientHost) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("GroupId can't be empty."));
        }
        return write(
                request.groupId(),
                s -> s.consumer().heartbeat(request, version, clientId, clientHost),
                error -> new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()));
    }

    public CompletableFuture<ShareGroupHeartbeatResponseData> shareGroupHeartbeat(
            ShareGroupHeartbeatRequestData request, String clientId, String clientHost) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new ShareGroupHeartbeatResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("GroupId can't be empty."));
        }
        return write(
                request.groupId(),
                s -> s.share().heartbeat(request, clientId, clientHost),
                error -> new ShareGroupHeartbeatResponseData().setErrorCode(error.code()));
    }

    public CompletableFuture<ShareGroupDescribeResponseData.DescribedGroup> describeShareGroup(String groupId) {
        return read(
                groupId,
                s -> s.share().describe(groupId),
                error -> new ShareGroupDescribeResponseData.DescribedGroup()
                        .setGroupId(groupId)
                        .setErrorCode(error.code()));
    }

    /** Whether {@code memberId} is a member of share group {@code groupId} now; callable from any thread. */
    public boolean isShareMember(String groupId, String memberId) {
        return shareIndex.assignment(groupId, memberId) != null;
    }

    /** The members of share group {@code groupId} now (none when it does not exist); callable from any thread. */
    public Set<String> shareMembers(String groupId) {
        return shareIndex.members(groupId);
    }

    /**
     * The partitions share group member {@code memberId} was last given, by topic id; empty when it is not a member.
     * Callable from any thread.
     */
    public Map<TopicId, List<Integer>> shareAssignment(String groupId, String memberId) {
        Map<TopicId, List<Integer>> assigned = shareIndex.assignment(groupId, memberId);
        return assigned == null ? Map.of() : assigned;
    }

    /**
     * The member count of share group {@code groupId}, once everything written before is durable: -1 when there is
     * no such share group; the error when the coordinator cannot answer.
     */
    public CompletableFuture<Integer> shareGroupSize(String groupId) {
        return runtime.read(partitionFor(groupId), s -> {
            ShareGroup group = s.state().shareGroup(groupId);
            return group == null ? -1 : group.members.size();
        });
    }

    public CompletableFuture<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData request, short version) {
        String groupId = request.groupId() == null ? "" : request.groupId();
        return write(groupId, s -> s.offsets().commit(request, version), error -> {
            OffsetCommitResponseData response = new OffsetCommitResponseData();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
                OffsetCommitResponseData.OffsetCommitResponseTopic failed =
                        new OffsetCommitResponseData.OffsetCommitResponseTopic()
                                .setName(topic.name())
                                .setTopicId(topic.topicId());
                topic.partitions()
                        .forEach(p -> failed.partitions()
                                .add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(error.code())));
                response.topics().add(failed);
            }
            return response;
        });
    }

    public CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchOffsets(
            OffsetFetchRequestData.OffsetFetchRequestGroup request) {
        return fetchOffsets(request, false);
    }

    /** OffsetFetch; with {@code requireStable}, offsets an open transaction holds are UNSTABLE_OFFSET_COMMIT. */
    public CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchOffsets(
            OffsetFetchRequestData.OffsetFetchRequestGroup request, boolean requireStable) {
        return read(
                request.groupId(),
                s -> s.offsets().fetch(request, requireStable),
                error -> new OffsetFetchResponseData.OffsetFetchResponseGroup()
                        .setGroupId(request.groupId())
                        .setErrorCode(error.code()));
    }

    /** TxnOffsetCommit: offsets that become committed when the producer's transaction commits. */
    public CompletableFuture<TxnOffsetCommitResponseData> commitTransactionalOffsets(
            TxnOffsetCommitRequestData request) {
        String groupId = request.groupId() == null ? "" : request.groupId();
        return write(groupId, s -> s.txnOffsets().commit(request), error -> {
            TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
                TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic failed =
                        new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
                topic.partitions()
                        .forEach(p -> failed.partitions()
                                .add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(error.code())));
                response.topics().add(failed);
            }
            return response;
        });
    }

    /**
     * The marker of a producer's transaction for partition {@code partition} of {@code __consumer_offsets}: its
     * pending offsets there become committed (or are dropped). Completes once that is durable.
     *
     * @return NONE, or NOT_COORDINATOR when the partition is not served here
     */
    public CompletableFuture<Errors> completeTransaction(int partition, long producerId, boolean commit) {
        return runtime.write(partition, s -> s.txnOffsets().complete(producerId, commit))
                .thenApply(ignored -> Errors.NONE)
                .exceptionally(GroupCoordinator::errorFor);
    }

    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return write(
                request.groupId(),
                s -> s.admin().deleteOffsets(request),
                error -> new OffsetDeleteResponseData().setErrorCode(error.code()));
    }

    /** Every group on every loaded partition. */
    public CompletableFuture<List<ListGroupsResponseData.ListedGroup>> listGroups() {
        return runtime.readAll(s -> s.admin().list())
                .thenApply(lists -> lists.stream().flatMap(List::stream).toList());
    }

    public CompletableFuture<DescribeGroupsResponseData.DescribedGroup> describeGroup(String groupId, short version) {
        return read(
                groupId,
                s -> s.admin().describe(groupId, version),
                error -> new DescribeGroupsResponseData.DescribedGroup()
                        .setGroupId(groupId)
                        .setErrorCode(error.code())
                        .setGroupState("")
                        .setProtocolType("")
                        .setProtocolData(""));
    }

    public CompletableFuture<ConsumerGroupDescribeResponseData.DescribedGroup> describeConsumerGroup(String groupId) {
        return read(
                groupId,
                s -> s.admin().describeConsumerGroup(groupId),
                error -> new ConsumerGroupDescribeResponseData.DescribedGroup()
                        .setGroupId(groupId)
                        .setErrorCode(error.code()));
    }

    public CompletableFuture<DeleteGroupsResponseData.DeletableGroupResult> deleteGroup(String groupId) {
        return write(
                groupId,
                s -> s.admin().delete(groupId),
                error -> new DeleteGroupsResponseData.DeletableGroupResult()
                        .setGroupId(groupId)
                        .setErrorCode(error.code()));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
