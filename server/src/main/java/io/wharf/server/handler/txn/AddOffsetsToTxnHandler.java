package io.wharf.server.handler.txn;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddOffsetsToTxn: adds the group's partition of {@code __consumer_offsets} to the producer's transaction, so that
 * its TxnOffsetCommit is ended by the transaction's marker like any partition it wrote to.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler {

    private final BrokerServices services;

    public AddOffsetsToTxnHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        AddOffsetsToTxnRequestData body = request.body();
        if (body.groupId() == null || body.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(
                    new AddOffsetsToTxnResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return services.groups()
                .coordinator()
                .thenCompose(groups -> TxnRequests.withCoordinator(
                        services,
                        c -> c.addPartitions(
                                body.transactionalId(),
                                body.producerId(),
                                body.producerEpoch(),
                                Set.of(new TopicPartition(GroupCoordinator.TOPIC, groups.partitionFor(body.groupId()))),
                                false),
                        () -> Errors.COORDINATOR_NOT_AVAILABLE))
                .exceptionally(failure -> Errors.COORDINATOR_NOT_AVAILABLE)
                .thenApply(error -> new AddOffsetsToTxnResponseData().setErrorCode(error.code()));
    }
}
