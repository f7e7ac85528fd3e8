package io.wharf.server.txn;

import io.wharf.common.TopicPartition;
import io.wharf.common.timer.DelayTimer;
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
 * landing after its marker, where read_committed consumers would take it as committed. Under transaction version 2 the
 * same request adds the partitions instead of only checking them (Produce v12+, TxnOffsetCommit v5+).
 *
 * <p>A producer under transaction version 2 starts its next transaction as soon as EndTxn is answered, while the
 * coordinator may still be writing the last one's markers: CONCURRENT_TRANSACTIONS. The caller then asks again a few
 * times ({@link #retryWhileEnding}) before the producer is told to retry itself. Markers usually take a millisecond or
 * two (an append and its group commit on each partition), so the waits start at one millisecond and double: a fixed
 * 20 ms step made the first produce of nearly every transaction wait 20 ms for markers that were in after two.
 * Thread-safe.
 */
public final class TransactionVerifier {

    /** The first wait before asking again while the producer's last transaction is being marked; each next doubles. */
    static final long ENDING_FIRST_BACKOFF_MS = 1;

    /**
     * How many times to ask again (waiting 1 + 2 + ... + 64 = 127 ms in all) before answering NOT_ENOUGH_REPLICAS,
     * which the producer retries.
     */
    static final int ENDING_RETRIES = 7;

    private final int nodeId;
    private final Supplier<MetadataImage> image;
    private final CoordinatorManager<TransactionCoordinator> transactions;
    private final InterBrokerClient brokers;
    private final DelayTimer timer;

    public TransactionVerifier(
            int nodeId,
            Supplier<MetadataImage> image,
            CoordinatorManager<TransactionCoordinator> transactions,
            InterBrokerClient brokers,
            DelayTimer timer) {
        this.nodeId = nodeId;
        this.image = image;
        this.transactions = transactions;
        this.brokers = brokers;
        this.timer = timer;
    }

    /**
     * Verifies (or, with {@code add}, adds) the partitions once, asking again while the producer's last transaction is
     * being marked.
     *
     * @return see {@link #verifyOnce}
     */
    public CompletableFuture<Errors> verify(
            String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions, boolean add) {
        return retryWhileEnding(() -> verifyOnce(transactionalId, producerId, epoch, partitions, add));
    }

    /**
     * Runs {@code attempt} until it answers something else than CONCURRENT_TRANSACTIONS, at most
     * {@link #ENDING_RETRIES} more times; still ending then → NOT_ENOUGH_REPLICAS (retriable for the producer).
     */
    public CompletableFuture<Errors> retryWhileEnding(Supplier<CompletableFuture<Errors>> attempt) {
        CompletableFuture<Errors> answer = new CompletableFuture<>();
        attempt(attempt, 0, answer);
        return answer;
    }

    private void attempt(Supplier<CompletableFuture<Errors>> attempt, int retries, CompletableFuture<Errors> answer) {
        attempt.get().whenComplete((error, failure) -> {
            if (failure != null) {
                answer.complete(Errors.NOT_ENOUGH_REPLICAS);
            } else if (error != Errors.CONCURRENT_TRANSACTIONS) {
                answer.complete(error);
            } else if (retries >= ENDING_RETRIES) {
                answer.complete(Errors.NOT_ENOUGH_REPLICAS);
            } else {
                timer.schedule(ENDING_FIRST_BACKOFF_MS << retries, () -> attempt(attempt, retries + 1, answer));
            }
        });
    }

    /**
     * Asks the coordinator once.
     *
     * @param add add the partitions to the open transaction, starting one if none is (transaction version 2), rather
     *     than only check that they are in it
     * @return NONE when every partition is in the open transaction of this producer id and epoch; otherwise the error
     *     to give the producer for all of them: INVALID_TXN_STATE (not added, or the transaction ended),
     *     INVALID_PRODUCER_EPOCH (fenced), CONCURRENT_TRANSACTIONS (its last transaction is being marked: ask again),
     *     or NOT_ENOUGH_REPLICAS (the coordinator cannot be reached now; retriable)
     */
    public CompletableFuture<Errors> verifyOnce(
            String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions, boolean add) {
        return transactions
                .coordinator()
                .thenCompose(coordinator -> {
                    int partition = coordinator.partitionFor(transactionalId);
                    int leader = image.get()
                            .topic(TransactionCoordinator.TOPIC)
                            .map(t -> t.partitions().get(partition).leader())
                            .orElse(-1);
                    if (leader == nodeId) {
                        return coordinator.addPartitions(transactionalId, producerId, epoch, partitions, !add);
                    }
                    if (leader < 0) {
                        return CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
                    }
                    return askRemote(leader, transactionalId, producerId, epoch, partitions, add);
                })
                .exceptionally(failure -> Errors.COORDINATOR_NOT_AVAILABLE)
                .thenApply(TransactionVerifier::forProducer);
    }

    private CompletableFuture<Errors> askRemote(
            int leader,
            String transactionalId,
            long producerId,
            short epoch,
            Set<TopicPartition> partitions,
            boolean add) {
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
                .setVerifyOnly(!add)
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
            case NONE, INVALID_TXN_STATE, INVALID_PRODUCER_EPOCH, CONCURRENT_TRANSACTIONS -> coordinatorError;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case INVALID_PRODUCER_ID_MAPPING -> Errors.INVALID_TXN_STATE;
            default -> Errors.NOT_ENOUGH_REPLICAS;
        };
    }
}
