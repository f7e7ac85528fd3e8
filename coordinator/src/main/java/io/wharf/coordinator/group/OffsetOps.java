package io.wharf.coordinator.group;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorResult;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Committing and fetching offsets on one shard, and expiring the offsets of groups that stayed empty for
 * {@code offsets.retention.minutes}. Topics are named here; the broker translates topic ids of newer versions.
 * Offsets ({@link OffsetStore}, in {@link GroupState}) change only when the records written here are replayed; the
 * expiration timer is the only soft state.
 */
final class OffsetOps {

    static final long EXPIRATION_CHECK_INTERVAL_MS = 600_000;

    private final GroupState state;
    private final LiveGroups live;
    private final GroupConfig config;
    private final Clock clock;
    private final GroupTimers timers;

    OffsetOps(GroupState state, LiveGroups live, GroupConfig config, Clock clock, GroupTimers timers) {
        this.state = state;
        this.live = live;
        this.config = config;
        this.clock = clock;
        this.timers = timers;
    }

    /** Checks who commits: a current member (right generation or epoch), or anyone for a group without members. */
    private Errors checkCommitter(OffsetCommitRequestData request, short version) {
        String groupId = request.groupId();
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (state.shareGroup(groupId) != null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        int generationOrEpoch = request.generationIdOrMemberEpoch();
        String memberId = request.memberId();
        ConsumerGroup consumer = state.consumerGroup(groupId);
        if (consumer != null && !consumer.members.isEmpty()) {
            ConsumerMember member = consumer.members.get(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (generationOrEpoch != member.memberEpoch) {
                return version >= 9 ? Errors.STALE_MEMBER_EPOCH : Errors.ILLEGAL_GENERATION;
            }
            return Errors.NONE;
        }
        ClassicGroupView classic = live.classic(groupId);
        if (classic.exists()) {
            return classic.checkCommit(memberId, request.groupInstanceId(), generationOrEpoch);
        }
        if (generationOrEpoch >= 0 || !memberId.isEmpty()) {
            return version >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    CoordinatorResult<OffsetCommitResponseData> commit(OffsetCommitRequestData request, short version) {
        Errors error = checkCommitter(request, version);
        Effects effects = new Effects();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        long now = clock.nowMs();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic()
                            .setName(topic.name())
                            .setTopicId(topic.topicId());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                Errors partitionError = error;
                if (partitionError == Errors.NONE) {
                    partitionError = checkPartition(topic.name(), partition);
                }
                if (partitionError == Errors.NONE) {
                    effects.record(GroupRecords.offset(
                            request.groupId(),
                            topic.name(),
                            partition.partitionIndex(),
                            new GroupRecords.OffsetValue(
                                    partition.committedOffset(),
                                    partition.committedLeaderEpoch(),
                                    partition.committedMetadata(),
                                    now)));
                }
                topicResponse
                        .partitions()
                        .add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(partitionError.code()));
            }
            response.topics().add(topicResponse);
        }
        return effects.answer(response);
    }

    private Errors checkPartition(String topic, OffsetCommitRequestData.OffsetCommitRequestPartition partition) {
        if (topic == null || partition.partitionIndex() < 0) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        String metadata = partition.committedMetadata();
        if (metadata != null && metadata.length() > config.offsetMetadataMaxBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return Errors.NONE;
    }

    /** The committed offsets of one group: the named partitions, or all of them when {@code topics} is null. */
    OffsetFetchResponseData.OffsetFetchResponseGroup fetch(OffsetFetchRequestData.OffsetFetchRequestGroup request) {
        return fetch(request, false);
    }

    /**
     * The committed offsets of one group; with {@code requireStable}, a partition whose offset an open transaction
     * holds is UNSTABLE_OFFSET_COMMIT instead (the client asks again once the transaction ended).
     */
    OffsetFetchResponseData.OffsetFetchResponseGroup fetch(
            OffsetFetchRequestData.OffsetFetchRequestGroup request, boolean requireStable) {
        OffsetFetchResponseData.OffsetFetchResponseGroup response =
                new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(request.groupId());
        if (request.memberEpoch() >= 0 || request.memberId() != null) {
            Errors error = checkFetcher(request);
            if (error != Errors.NONE) {
                return response.setErrorCode(error.code());
            }
        }
        Map<TopicPartition, OffsetStore.Committed> committed = state.offsets().offsets(request.groupId());
        if (request.topics() == null) {
            Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> byTopic = new TreeMap<>();
            java.util.Set<TopicPartition> unstable =
                    requireStable ? state.pendingOffsets().pendingPartitions(request.groupId()) : java.util.Set.of();
            committed.forEach((tp, offset) -> byTopic.computeIfAbsent(
                            tp.topic(), t -> new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(t))
                    .partitions()
                    .add(partition(tp.partition(), offset)
                            .setErrorCode(unstable.contains(tp) ? Errors.UNSTABLE_OFFSET_COMMIT.code() : 0)));
            byTopic.values().forEach(response.topics()::add);
            return response;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : request.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse =
                    new OffsetFetchResponseData.OffsetFetchResponseTopics()
                            .setName(topic.name())
                            .setTopicId(topic.topicId());
            for (int index : topic.partitionIndexes()) {
                TopicPartition tp = topic.name() == null || index < 0 ? null : new TopicPartition(topic.name(), index);
                OffsetStore.Committed offset = tp == null ? null : committed.get(tp);
                OffsetFetchResponseData.OffsetFetchResponsePartitions answer = partition(index, offset);
                if (requireStable && tp != null && state.pendingOffsets().isPending(request.groupId(), tp)) {
                    answer.setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
                }
                topicResponse.partitions().add(answer);
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private Errors checkFetcher(OffsetFetchRequestData.OffsetFetchRequestGroup request) {
        ConsumerGroup consumer = state.consumerGroup(request.groupId());
        if (consumer == null) {
            return request.memberEpoch() >= 0 ? Errors.UNKNOWN_MEMBER_ID : Errors.NONE;
        }
        ConsumerMember member = consumer.members.get(request.memberId());
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return member.memberEpoch == request.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartitions partition(
            int index, OffsetStore.Committed offset) {
        OffsetFetchResponseData.OffsetFetchResponsePartitions partition =
                new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(index);
        if (offset == null) {
            return partition.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("");
        }
        return partition
                .setCommittedOffset(offset.offset())
                .setCommittedLeaderEpoch(offset.leaderEpoch())
                .setMetadata(offset.metadata() == null ? "" : offset.metadata());
    }

    void scheduleExpiration() {
        timers.schedule("expire-offsets", EXPIRATION_CHECK_INTERVAL_MS, this::expire);
    }

    /** Deletes the offsets of groups that have had no members for longer than the retention. */
    CoordinatorResult<Void> expire() {
        Effects effects = new Effects();
        long now = clock.nowMs();
        long retention = config.offsetsRetentionMs();
        for (String groupId : state.offsets().groups()) {
            if (live.hasMembers(groupId)) {
                continue;
            }
            ClassicGroupView classic = live.classic(groupId);
            long since = Math.max(state.offsets().lastCommitTimestamp(groupId), classic.stateTimestamp());
            if (now - since > retention) {
                effects.records.addAll(state.offsets().tombstones(groupId));
                if (classic.exists()) {
                    effects.record(GroupRecords.classicGroup(groupId, null));
                }
            }
        }
        scheduleExpiration();
        return effects.answer(null);
    }
}
