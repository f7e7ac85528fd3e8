package io.wharf.server.handler.txn;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.handler.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit: the group coordinator records the offsets as pending on the producer's transaction; they become the
 * group's committed offsets when the transaction's COMMIT reaches the group's partition, and are dropped on ABORT.
 *
 * <p>From version 5 (transaction version 2) the producer sends no AddOffsetsToTxn: the group's offsets partition is
 * added to its transaction here first, through the transaction coordinator. From version 6 topics come by id:
 * unknown ids are answered UNKNOWN_TOPIC_ID here and never reach the coordinator, and the answer names each topic by
 * its id again.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {

    /** The first version whose request adds the group's offsets partition to the transaction itself. */
    private static final short FIRST_ADDING_VERSION = 5;

    /** The first version that names topics by id. */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 6;

    private final BrokerServices services;

    public TxnOffsetCommitHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        TxnOffsetCommitRequestData body = request.body();
        if (request.version() < FIRST_VERSION_WITH_TOPIC_IDS) {
            return commit(request.version(), body).thenApply(response -> response);
        }
        MetadataImage image = services.replicas().image();
        List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> known = new ArrayList<>();
        TxnOffsetCommitRequestData unknown = new TxnOffsetCommitRequestData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : body.topics()) {
            Optional<TopicImage> named = image.topic(Topics.fromKafka(topic.topicId()));
            if (named.isPresent()) {
                known.add(topic.setName(named.get().name()));
            } else {
                unknown.topics().add(topic);
            }
        }
        body.setTopics(known);
        CompletableFuture<TxnOffsetCommitResponseData> committed = known.isEmpty()
                ? CompletableFuture.completedFuture(new TxnOffsetCommitResponseData())
                : commit(request.version(), body);
        return committed.thenApply(response -> {
            for (TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topic : response.topics()) {
                image.topic(topic.name()).ifPresent(t -> topic.setTopicId(Topics.toKafka(t.id())));
            }
            response.topics().addAll(failed(unknown, Errors.UNKNOWN_TOPIC_ID).topics());
            return response;
        });
    }

    private CompletableFuture<TxnOffsetCommitResponseData> commit(short version, TxnOffsetCommitRequestData body) {
        return services.groups()
                .coordinator()
                .thenCompose(c -> addOffsetsPartition(version, body, c)
                        .thenCompose(error -> error == Errors.NONE
                                ? c.commitTransactionalOffsets(body)
                                : CompletableFuture.completedFuture(failed(body, error))))
                .exceptionally(failure -> failed(body, Errors.COORDINATOR_NOT_AVAILABLE));
    }

    private CompletableFuture<Errors> addOffsetsPartition(
            short version, TxnOffsetCommitRequestData body, GroupCoordinator groups) {
        if (version < FIRST_ADDING_VERSION) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        TopicPartition offsets = new TopicPartition(GroupCoordinator.TOPIC, groups.partitionFor(body.groupId()));
        return services.transactionVerifier()
                .verify(body.transactionalId(), body.producerId(), body.producerEpoch(), Set.of(offsets), true)
                // The coordinator cannot be reached now, or is still marking the last transaction: the client
                // finds the group coordinator again and retries.
                .thenApply(error -> error == Errors.NOT_ENOUGH_REPLICAS ? Errors.COORDINATOR_NOT_AVAILABLE : error);
    }

    private static TxnOffsetCommitResponseData failed(TxnOffsetCommitRequestData body, Errors error) {
        TxnOffsetCommitResponseData failed = new TxnOffsetCommitResponseData();
        body.topics().forEach(t -> {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topic =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                            .setName(t.name())
                            .setTopicId(t.topicId());
            t.partitions()
                    .forEach(p -> topic.partitions()
                            .add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                    .setPartitionIndex(p.partitionIndex())
                                    .setErrorCode(error.code())));
            failed.topics().add(topic);
        });
        return failed;
    }
}
