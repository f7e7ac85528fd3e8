package io.wharf.server.handler.txn;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.storage.producer.ProducerEntry;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers: the idempotent and transactional producers a partition this broker leads knows, with the first
 * offset of each one's open transaction ({@code kafka-transactions.sh describe-producers} and {@code find-hanging}).
 */
public final class DescribeProducersHandler implements ApiHandler {

    private final BrokerServices services;

    public DescribeProducersHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeProducersRequestData body = request.body();
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest topic : body.topics()) {
            DescribeProducersResponseData.TopicResponse topicResponse =
                    new DescribeProducersResponseData.TopicResponse().setName(topic.name());
            for (int index : topic.partitionIndexes()) {
                topicResponse.partitions().add(describe(new TopicPartition(topic.name(), Math.max(index, 0)), index));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeProducersResponseData.PartitionResponse describe(TopicPartition tp, int index) {
        DescribeProducersResponseData.PartitionResponse answer =
                new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(index);
        if (index < 0 || services.replicas().image().topic(tp.topic()).isEmpty()) {
            return answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        PartitionReplica partition = services.replicas().partition(tp).orElse(null);
        if (partition == null || !partition.isLeader()) {
            return answer.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        }
        for (ProducerEntry entry : partition.log().producerState().entries()) {
            answer.activeProducers()
                    .add(new DescribeProducersResponseData.ProducerState()
                            .setProducerId(entry.producerId())
                            .setProducerEpoch(entry.epoch())
                            .setLastSequence(entry.lastSequence())
                            .setLastTimestamp(entry.lastTimestamp())
                            .setCoordinatorEpoch(-1)
                            .setCurrentTxnStartOffset(entry.transactionFirstOffset()));
        }
        return answer;
    }
}
