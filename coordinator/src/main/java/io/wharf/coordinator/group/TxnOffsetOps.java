package io.wharf.coordinator.group;

import io.wharf.common.Clock;
import io.wharf.coordinator.runtime.CoordinatorResult;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Offsets committed inside a transaction (TxnOffsetCommit, KIP-98/KIP-447) and the end of that transaction in this
 * shard (the WriteTxnMarkers the transaction coordinator sends to {@code __consumer_offsets}). The offsets are written
 * as pending records and become committed only when the transaction's COMMIT is replayed. No soft state.
 */
final class TxnOffsetOps {

    private final GroupState state;
    private final LiveGroups live;
    private final GroupConfig config;
    private final Clock clock;

    TxnOffsetOps(GroupState state, LiveGroups live, GroupConfig config, Clock clock) {
        this.state = state;
        this.live = live;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A producer's member id and generation, when it sends them (KIP-447), must be those of a current member, so that
     * a zombie consumer-producer whose partitions moved cannot commit for them.
     */
    private Errors checkMember(TxnOffsetCommitRequestData request) {
        String groupId = request.groupId();
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        String memberId = request.memberId();
        int generation = request.generationIdOrMemberEpoch();
        if ((memberId == null || memberId.isEmpty()) && generation < 0) {
            return Errors.NONE;
        }
        ConsumerGroup consumer = state.consumerGroup(groupId);
        if (consumer != null && !consumer.members.isEmpty()) {
            ConsumerMember member = consumer.members.get(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return member.memberEpoch == generation ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
        }
        ClassicGroupView classic = live.classic(groupId);
        if (classic.exists()) {
            return classic.checkCommit(memberId, request.groupInstanceId(), generation);
        }
        return Errors.NONE;
    }

    CoordinatorResult<TxnOffsetCommitResponseData> commit(TxnOffsetCommitRequestData request) {
        Errors error = checkMember(request);
        Effects effects = new Effects();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        long now = clock.nowMs();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                Errors partitionError = error;
                String metadata = partition.committedMetadata();
                if (partitionError == Errors.NONE && (topic.name() == null || partition.partitionIndex() < 0)) {
                    partitionError = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (partitionError == Errors.NONE
                        && metadata != null
                        && metadata.length() > config.offsetMetadataMaxBytes()) {
                    partitionError = Errors.OFFSET_METADATA_TOO_LARGE;
                }
                if (partitionError == Errors.NONE) {
                    effects.record(GroupRecords.pendingTxnOffset(
                            request.groupId(),
                            topic.name(),
                            partition.partitionIndex(),
                            request.producerId(),
                            new GroupRecords.OffsetValue(
                                    partition.committedOffset(), partition.committedLeaderEpoch(), metadata, now)));
                }
                topicResponse
                        .partitions()
                        .add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(partitionError.code()));
            }
            response.topics().add(topicResponse);
        }
        return effects.answer(response);
    }

    /** The producer's transaction ended; writes its end only when this shard holds offsets of it. */
    CoordinatorResult<Void> complete(long producerId, boolean commit) {
        Effects effects = new Effects();
        if (state.pendingOffsets().hasPending(producerId)) {
            effects.record(GroupRecords.transactionEnd(producerId, commit));
        }
        return effects.answer(null);
    }
}
