package io.wharf.server.handler.txn;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
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
 * added to its transaction here first, through the transaction coordinator. Version 6 names topics by id and is not
 * served.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {

    /** The first version whose request adds the group's offsets partition to the transaction itself. */
    private static final short FIRST_ADDING_VERSION = 5;

    private static final short LAST_VERSION_WITH_TOPIC_NAMES = 5;

    private final BrokerServices services;

    public TxnOffsetCommitHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public short maxVersion() {
        return LAST_VERSION_WITH_TOPIC_NAMES;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        TxnOffsetCommitRequestData body = request.body();
        return services.groups()
                .coordinator()
                .thenCompose(c -> addOffsetsPartition(request.version(), body, c)
                        .thenCompose(error -> error == Errors.NONE
                                ? c.commitTransactionalOffsets(body)
                                : CompletableFuture.completedFuture(failed(body, error))))
                .exceptionally(failure -> failed(body, Errors.COORDINATOR_NOT_AVAILABLE))
                .thenApply(response -> response);
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
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(t.name());
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
