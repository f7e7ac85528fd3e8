package io.wharf.server.txn;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.share.InterBrokerClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Asks the transaction coordinator, before a transactional batch is appended, whether its partitions are in the
 * producer's open transaction (KIP-890 part 1): locally when this broker is the coordinator, else by a verify-only
 * AddPartitionsToTxn (v4+) to it. A late write of a transaction that already ended is thereby refused instead of
 * landing after its marker, where read_committed consumers would take it as committed. Thread-safe.
 */
public final class TransactionVerifier {

    private final int nodeId;
    private final Supplier<MetadataImage> image;
    private final CoordinatorManager<TransactionCoordinator> transactions;
    private final InterBrokerClient brokers;

    public TransactionVerifier(
            int nodeId,
            Supplier<MetadataImage> image,
            CoordinatorManager<TransactionCoordinator> transactions,
            InterBrokerClient brokers) {
        this.nodeId = nodeId;
        this.image = image;
        this.transactions = transactions;
        this.brokers = brokers;
    }

    /**
     * @return NONE when every partition is in the open transaction of this producer id and epoch; otherwise the error
     *     to give the producer for all of them: INVALID_TXN_STATE (not added, or the transaction ended),
     *     INVALID_PRODUCER_EPOCH (fenced), or NOT_ENOUGH_REPLICAS (the coordinator cannot be reached now; retriable)
     */
    public CompletableFuture<Errors> verify(
            String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions) {
        return transactions
                .coordinator()
                .thenCompose(coordinator -> {
                    int partition = coordinator.partitionFor(transactionalId);
                    int leader = image.get()
                            .topic(TransactionCoordinator.TOPIC)
                            .map(t -> t.partitions().get(partition).leader())
                            .orElse(-1);
                    if (leader == nodeId) {
                        return coordinator.addPartitions(transactionalId, producerId, epoch, partitions, true);
                    }
                    if (leader < 0) {
                        return CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
                    }
                    return askRemote(leader, transactionalId, producerId, epoch, partitions);
                })
                .exceptionally(failure -> Errors.COORDINATOR_NOT_AVAILABLE)
                .thenApply(TransactionVerifier::forProducer);
    }

    private CompletableFuture<Errors> askRemote(
            int leader, String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions) {
        Map<String, AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic> topics = new HashMap<>();
        for (TopicPartition tp : partitions) {
            topics.computeIfAbsent(
                            tp.topic(), t -> new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(t))
                    .partitions()
                    .add(tp.partition());
        }
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection txns =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topicCollection =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        topics.values().forEach(topicCollection::add);
        txns.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
                .setTransactionalId(transactionalId)
                .setProducerId(producerId)
                .setProducerEpoch(epoch)
                .setVerifyOnly(true)
                .setTopics(topicCollection));
        return brokers.<AddPartitionsToTxnResponseData>send(
                        leader, new AddPartitionsToTxnRequestData().setTransactions(txns))
                .thenApply(response -> {
                    if (response.errorCode() != 0) {
                        return Errors.forCode(response.errorCode());
                    }
                    List<Errors> errors = new ArrayList<>();
                    response.resultsByTransaction()
                            .forEach(txn -> txn.topicResults()
                                    .forEach(topic -> topic.resultsByPartition()
                                            .forEach(p -> errors.add(Errors.forCode(p.partitionErrorCode())))));
                    return errors.stream()
                            .filter(e -> e != Errors.NONE)
                            .findFirst()
                            .orElse(Errors.NONE);
                });
    }

    /** The coordinator's answer as a produce error. */
    private static Errors forProducer(Errors coordinatorError) {
        return switch (coordinatorError) {
            case NONE, INVALID_TXN_STATE, INVALID_PRODUCER_EPOCH -> coordinatorError;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case INVALID_PRODUCER_ID_MAPPING, CONCURRENT_TRANSACTIONS -> Errors.INVALID_TXN_STATE;
            default -> Errors.NOT_ENOUGH_REPLICAS;
        };
    }
}
