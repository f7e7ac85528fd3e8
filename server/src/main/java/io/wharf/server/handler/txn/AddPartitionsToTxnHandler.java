package io.wharf.server.handler.txn;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddPartitionsToTxn: versions 0-3 from producers (one transaction, partitions to add), versions 4+ from brokers
 * (several transactions, each possibly verify-only: KIP-890's check that a transactional produce belongs to the
 * transaction). A partition of a topic that does not exist is UNKNOWN_TOPIC_OR_PARTITION, and then nothing is added:
 * the others get OPERATION_NOT_ATTEMPTED, as in Kafka.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler {

    private final BrokerServices services;

    public AddPartitionsToTxnHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        AddPartitionsToTxnRequestData body = request.body();
        if (request.version() <= 3) {
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction single =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
                            .setTransactionalId(body.v3AndBelowTransactionalId())
                            .setProducerId(body.v3AndBelowProducerId())
                            .setProducerEpoch(body.v3AndBelowProducerEpoch())
                            .setTopics(body.v3AndBelowTopics().duplicate());
            return handleOne(single)
                    .thenApply(result ->
                            new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(result.topicResults()));
        }
        List<CompletableFuture<AddPartitionsToTxnResponseData.AddPartitionsToTxnResult>> results = new ArrayList<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction txn : body.transactions()) {
            results.add(handleOne(txn));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection collection =
                            new AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection();
                    results.forEach(r -> collection.add(r.join()));
                    return new AddPartitionsToTxnResponseData().setResultsByTransaction(collection);
                });
    }

    private CompletableFuture<AddPartitionsToTxnResponseData.AddPartitionsToTxnResult> handleOne(
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction txn) {
        Set<TopicPartition> partitions = new HashSet<>();
        Set<TopicPartition> unknown = new HashSet<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : txn.topics()) {
            int count = services.replicas()
                    .image()
                    .topic(topic.name())
                    .map(t -> t.partitionCount())
                    .orElse(0);
            for (int p : topic.partitions()) {
                (p >= 0 && p < count ? partitions : unknown).add(new TopicPartition(topic.name(), p));
            }
        }
        if (!unknown.isEmpty()) {
            return CompletableFuture.completedFuture(result(
                    txn,
                    tp -> unknown.contains(tp) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED));
        }
        return TxnRequests.withCoordinator(
                        services,
                        (TransactionCoordinator c) -> c.addPartitions(
                                txn.transactionalId(),
                                txn.producerId(),
                                txn.producerEpoch(),
                                partitions,
                                txn.verifyOnly()),
                        () -> Errors.COORDINATOR_NOT_AVAILABLE)
                .thenApply(error -> result(txn, tp -> error));
    }

    private static AddPartitionsToTxnResponseData.AddPartitionsToTxnResult result(
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction txn,
            java.util.function.Function<TopicPartition, Errors> errorOf) {
        AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection topics =
                new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : txn.topics()) {
            AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection partitions =
                    new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection();
            for (int p : topic.partitions()) {
                partitions.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(p)
                        .setPartitionErrorCode(errorOf.apply(new TopicPartition(topic.name(), p))
                                .code()));
            }
            topics.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult()
                    .setName(topic.name())
                    .setResultsByPartition(partitions));
        }
        return new AddPartitionsToTxnResponseData.AddPartitionsToTxnResult()
                .setTransactionalId(txn.transactionalId())
                .setTopicResults(topics);
    }
}
