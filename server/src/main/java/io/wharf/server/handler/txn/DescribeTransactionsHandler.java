package io.wharf.server.handler.txn;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.coordinator.txn.TransactionMetadata;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeTransactions: the state, producer, timeout, start time and partitions of each named transactional id, from
 * its coordinator (NOT_COORDINATOR when that is another broker; TRANSACTIONAL_ID_NOT_FOUND when the id is unknown).
 */
public final class DescribeTransactionsHandler implements ApiHandler {

    private final BrokerServices services;

    public DescribeTransactionsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeTransactionsRequestData body = request.body();
        return TxnRequests.withCoordinator(
                        services,
                        coordinator -> describeAll(coordinator, body.transactionalIds()),
                        () -> body.transactionalIds().stream()
                                .map(id -> failed(id, Errors.COORDINATOR_NOT_AVAILABLE))
                                .toList())
                .thenApply(states -> {
                    DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
                    response.transactionStates().addAll(states);
                    return response;
                });
    }

    private static CompletableFuture<List<DescribeTransactionsResponseData.TransactionState>> describeAll(
            TransactionCoordinator coordinator, List<String> ids) {
        List<CompletableFuture<DescribeTransactionsResponseData.TransactionState>> answers = new ArrayList<>();
        for (String id : ids) {
            answers.add(coordinator
                    .describe(id)
                    .thenApply(found -> found.map(DescribeTransactionsHandler::described)
                            .orElseGet(() -> failed(id, Errors.TRANSACTIONAL_ID_NOT_FOUND)))
                    .exceptionally(failure -> failed(id, TransactionCoordinator.errorFor(failure))));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(
                        ignored -> answers.stream().map(CompletableFuture::join).toList());
    }

    private static DescribeTransactionsResponseData.TransactionState described(TransactionMetadata metadata) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : metadata.sortedPartitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        DescribeTransactionsResponseData.TopicDataCollection topics =
                new DescribeTransactionsResponseData.TopicDataCollection();
        byTopic.forEach((topic, partitions) -> topics.add(
                new DescribeTransactionsResponseData.TopicData().setTopic(topic).setPartitions(partitions)));
        return new DescribeTransactionsResponseData.TransactionState()
                .setTransactionalId(metadata.transactionalId())
                .setTransactionState(metadata.state().kafkaName())
                .setTransactionTimeoutMs(metadata.timeoutMs())
                .setTransactionStartTimeMs(metadata.startMs())
                .setProducerId(metadata.producerId())
                .setProducerEpoch(metadata.producerEpoch())
                .setTopics(topics);
    }

    private static DescribeTransactionsResponseData.TransactionState failed(String id, Errors error) {
        return new DescribeTransactionsResponseData.TransactionState()
                .setTransactionalId(id)
                .setErrorCode(error.code())
                .setTransactionState("")
                .setProducerId(-1)
                .setProducerEpoch((short) -1)
                .setTransactionStartTimeMs(-1);
    }
}
