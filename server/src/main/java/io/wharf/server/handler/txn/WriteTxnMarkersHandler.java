package io.wharf.server.handler.txn;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * WriteTxnMarkers, from a transaction coordinator on another broker: each marker is written into each named
 * partition this broker leads, and answered per partition once committed (NOT_LEADER_OR_FOLLOWER where this broker
 * does not lead; the coordinator looks for the leader again and retries).
 */
public final class WriteTxnMarkersHandler implements ApiHandler {

    private final BrokerServices services;

    public WriteTxnMarkersHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        WriteTxnMarkersRequestData body = request.body();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        for (WriteTxnMarkersRequestData.WritableTxnMarker marker : body.markers()) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult result =
                    new WriteTxnMarkersResponseData.WritableTxnMarkerResult().setProducerId(marker.producerId());
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic topic : marker.topics()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topicResult =
                        new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(topic.name());
                for (int index : topic.partitionIndexes()) {
                    WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult partitionResult =
                            new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult().setPartitionIndex(index);
                    topicResult.partitions().add(partitionResult);
                    if (index < 0) {
                        partitionResult.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                        continue;
                    }
                    pending.add(services.markers()
                            .append(
                                    new TopicPartition(topic.name(), index),
                                    marker.producerId(),
                                    marker.producerEpoch(),
                                    marker.transactionResult(),
                                    marker.coordinatorEpoch())
                            .thenAccept(error -> partitionResult.setErrorCode(error.code())));
                }
                result.topics().add(topicResult);
            }
            response.markers().add(result);
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> response);
    }
}
