package io.wharf.server.share;

import io.wharf.common.TopicId;
import io.wharf.coordinator.share.PersistedShareState;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.ShareStateException;
import io.wharf.coordinator.share.ShareStateSummary;
import io.wharf.coordinator.share.ShareStateWrite;
import io.wharf.coordinator.share.StateRun;
import io.wharf.server.handler.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteShareGroupStateRequestData;
import org.apache.kafka.common.message.DeleteShareGroupStateResponseData;
import org.apache.kafka.common.message.InitializeShareGroupStateRequestData;
import org.apache.kafka.common.message.InitializeShareGroupStateResponseData;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.message.WriteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share coordinator on another broker, reached with KIP-932's share-group state RPCs: InitializeShareGroupState,
 * ReadShareGroupState, WriteShareGroupState, DeleteShareGroupState and ReadShareGroupStateSummary. A share-partition
 * that does not exist reads (and summarizes) as start offset -1; a partition's error code becomes a
 * {@link ShareStateException}. Stateless; thread-safe.
 */
final class RemoteShareCoordinator implements ShareStatePersister.BatchStore {

    private final InterBrokerClient brokers;
    private final int brokerId;

    RemoteShareCoordinator(InterBrokerClient brokers, int brokerId) {
        this.brokers = brokers;
        this.brokerId = brokerId;
    }

    private static Uuid topicId(SharePartitionKey key) {
        return Topics.toKafka(key.topicId());
    }

    private static void check(short errorCode, String message) {
        Errors error = Errors.forCode(errorCode);
        if (error != Errors.NONE) {
            throw new ShareStateException(error, message == null ? error.message() : message);
        }
    }

    @Override
    public CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
        ReadShareGroupStateRequestData request = new ReadShareGroupStateRequestData()
                .setGroupId(key.groupId())
                .setTopics(List.of(new ReadShareGroupStateRequestData.ReadStateData()
                        .setTopicId(topicId(key))
                        .setPartitions(List.of(new ReadShareGroupStateRequestData.PartitionData()
                                .setPartition(key.partition())
                                .setLeaderEpoch(leaderEpoch)))));
        return brokers.<ReadShareGroupStateResponseData>send(brokerId, request).thenApply(response -> {
            ReadShareGroupStateResponseData.PartitionResult result =
                    response.results().get(0).partitions().get(0);
            check(result.errorCode(), result.errorMessage());
            if (result.startOffset() < 0) {
                return Optional.empty();
            }
            List<StateRun> runs = new ArrayList<>();
            result.stateBatches().forEach(b -> runs.add(ShareStateMessages.run(b)));
            return Optional.of(new PersistedShareState(result.stateEpoch(), leaderEpoch, result.startOffset(), runs));
        });
    }

    @Override
    public CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write) {
        WriteShareGroupStateRequestData.PartitionData partition = new WriteShareGroupStateRequestData.PartitionData()
                .setPartition(key.partition())
                .setStateEpoch(write.stateEpoch())
                .setLeaderEpoch(write.leaderEpoch())
                .setStartOffset(write.startOffset());
        write.runs().forEach(run -> partition.stateBatches().add(ShareStateMessages.writeBatch(run)));
        WriteShareGroupStateRequestData request = new WriteShareGroupStateRequestData()
                .setGroupId(key.groupId())
                .setTopics(List.of(new WriteShareGroupStateRequestData.WriteStateData()
                        .setTopicId(topicId(key))
                        .setPartitions(List.of(partition))));
        return brokers.<WriteShareGroupStateResponseData>send(brokerId, request).thenAccept(response -> {
            WriteShareGroupStateResponseData.PartitionResult result =
                    response.results().get(0).partitions().get(0);
            check(result.errorCode(), result.errorMessage());
        });
    }

    @Override
    public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        InitializeShareGroupStateRequestData request = new InitializeShareGroupStateRequestData()
                .setGroupId(key.groupId())
                .setTopics(List.of(new InitializeShareGroupStateRequestData.InitializeStateData()
                        .setTopicId(topicId(key))
                        .setPartitions(List.of(new InitializeShareGroupStateRequestData.PartitionData()
                                .setPartition(key.partition())
                                .setStateEpoch(stateEpoch)
                                .setStartOffset(startOffset)))));
        return brokers.<InitializeShareGroupStateResponseData>send(brokerId, request)
                .thenAccept(response -> {
                    InitializeShareGroupStateResponseData.PartitionResult result =
                            response.results().get(0).partitions().get(0);
                    check(result.errorCode(), result.errorMessage());
                });
    }

    @Override
    public CompletableFuture<Void> delete(SharePartitionKey key) {
        return deleteAll(key.groupId(), List.of(key)).thenAccept(errors -> {
            Errors error = errors.getOrDefault(key, Errors.UNKNOWN_SERVER_ERROR);
            if (error != Errors.NONE) {
                throw new ShareStateException(error, "deleting " + key + " failed");
            }
        });
    }

    @Override
    public CompletableFuture<Optional<ShareStateSummary>> summary(SharePartitionKey key) {
        return summaries(key.groupId(), List.of(key)).thenApply(summaries -> {
            Summarized summarized = summaries.get(key);
            if (summarized == null) {
                throw new ShareStateException(Errors.UNKNOWN_SERVER_ERROR, "no summary of " + key);
            }
            if (summarized.error() != Errors.NONE) {
                throw new ShareStateException(summarized.error(), "summarizing " + key + " failed");
            }
            return summarized.summary();
        });
    }

    /** One share-partition's summary in a batch: the summary, or the error it got. */
    record Summarized(Errors error, Optional<ShareStateSummary> summary) {}

    /** Deletes share-partitions of one group in one request; the error of each (NONE when deleted). */
    @Override
    public CompletableFuture<Map<SharePartitionKey, Errors>> deleteAll(
            String groupId, Collection<SharePartitionKey> keys) {
        Map<Uuid, DeleteShareGroupStateRequestData.DeleteStateData> topics = new LinkedHashMap<>();
        Map<Uuid, TopicId> ids = new HashMap<>();
        for (SharePartitionKey key : keys) {
            ids.put(topicId(key), key.topicId());
            topics.computeIfAbsent(
                            topicId(key), id -> new DeleteShareGroupStateRequestData.DeleteStateData().setTopicId(id))
                    .partitions()
                    .add(new DeleteShareGroupStateRequestData.PartitionData().setPartition(key.partition()));
        }
        DeleteShareGroupStateRequestData request =
                new DeleteShareGroupStateRequestData().setGroupId(groupId).setTopics(new ArrayList<>(topics.values()));
        return brokers.<DeleteShareGroupStateResponseData>send(brokerId, request)
                .thenApply(response -> {
                    Map<SharePartitionKey, Errors> errors = new HashMap<>();
                    for (DeleteShareGroupStateResponseData.DeleteStateResult topic : response.results()) {
                        for (DeleteShareGroupStateResponseData.PartitionResult p : topic.partitions()) {
                            errors.put(
                                    new SharePartitionKey(groupId, ids.get(topic.topicId()), p.partition()),
                                    Errors.forCode(p.errorCode()));
                        }
                    }
                    return errors;
                });
    }

    /** Summarizes share-partitions of one group in one request. */
    @Override
    public CompletableFuture<Map<SharePartitionKey, Summarized>> summaries(
            String groupId, Collection<SharePartitionKey> keys) {
        Map<Uuid, ReadShareGroupStateSummaryRequestData.ReadStateSummaryData> topics = new LinkedHashMap<>();
        Map<Uuid, TopicId> ids = new HashMap<>();
        for (SharePartitionKey key : keys) {
            ids.put(topicId(key), key.topicId());
            topics.computeIfAbsent(
                            topicId(key),
                            id -> new ReadShareGroupStateSummaryRequestData.ReadStateSummaryData().setTopicId(id))
                    .partitions()
                    .add(new ReadShareGroupStateSummaryRequestData.PartitionData()
                            .setPartition(key.partition())
                            .setLeaderEpoch(-1));
        }
        ReadShareGroupStateSummaryRequestData request = new ReadShareGroupStateSummaryRequestData()
                .setGroupId(groupId)
                .setTopics(new ArrayList<>(topics.values()));
        return brokers.<ReadShareGroupStateSummaryResponseData>send(brokerId, request)
                .thenApply(response -> {
                    Map<SharePartitionKey, Summarized> summaries = new HashMap<>();
                    for (ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult topic : response.results()) {
                        for (ReadShareGroupStateSummaryResponseData.PartitionResult p : topic.partitions()) {
                            SharePartitionKey key =
                                    new SharePartitionKey(groupId, ids.get(topic.topicId()), p.partition());
                            Errors error = Errors.forCode(p.errorCode());
                            Optional<ShareStateSummary> summary = error != Errors.NONE || p.startOffset() < 0
                                    ? Optional.empty()
                                    : Optional.of(new ShareStateSummary(
                                            p.stateEpoch(),
                                            p.leaderEpoch(),
                                            p.startOffset(),
                                            Math.max(0, p.deliveryCompleteCount())));
                            summaries.put(key, new Summarized(error, summary));
                        }
                    }
                    return summaries;
                });
    }
}
