package io.wharf.server.handler.txn;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit: the group coordinator records the offsets as pending on the producer's transaction; they become the
 * group's committed offsets when the transaction's COMMIT reaches the group's partition, and are dropped on ABORT.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {

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
        return services.groups()
                .coordinator()
                .thenCompose(c -> c.commitTransactionalOffsets(body))
                .exceptionally(failure -> {
                    TxnOffsetCommitResponseData failed = new TxnOffsetCommitResponseData();
                    body.topics().forEach(t -> {
                        TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topic =
                                new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(t.name());
                        t.partitions()
                                .forEach(p -> topic.partitions()
                                        .add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                                .setPartitionIndex(p.partitionIndex())
                                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
                        failed.topics().add(topic);
                    });
                    return failed;
                })
                .thenApply(response -> response);
    }
}
