package io.wharf.server.share;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.share.DeadLetters;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.WireRecords;
import io.wharf.replication.PartitionReplica;
import io.wharf.replication.ReplicaException;
import io.wharf.server.handler.Topics;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.storage.LogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Writes dead-letter batches to a partition of the dead-letter topic at its leader, wherever it is, as a producer with
 * {@code acks=all} would: appended here and awaited until the in-sync replicas have it when this broker leads the
 * partition, else sent to the leader in a Produce request. Batches go one after the other, so copies keep their
 * order. A batch the topic refuses (too large, invalid) fails {@link DeadLetters.Refused}; anything else (the leader
 * moved, too few in-sync replicas, a timeout) fails to be tried again. Thread-safe.
 */
final class DeadLetterProducer {

    /** How long the leader may wait for its in-sync replicas, as a producer's {@code request.timeout.ms}. */
    private static final int TIMEOUT_MS = 30_000;

    private final ReplicaManager replicas;
    private final InterBrokerClient brokers;

    DeadLetterProducer(ReplicaManager replicas, InterBrokerClient brokers) {
        this.replicas = replicas;
        this.brokers = brokers;
    }

    /** Writes {@code batches}, in order, to partition {@code index} of {@code topic}; completes once all are durable. */
    CompletableFuture<Void> produce(TopicImage topic, int index, List<ByteBuffer> batches) {
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (ByteBuffer batch : batches) {
            done = done.thenCompose(previous -> produce(topic, index, batch));
        }
        return done;
    }

    private CompletableFuture<Void> produce(TopicImage topic, int index, ByteBuffer batch) {
        TopicPartition tp = new TopicPartition(topic.name(), index);
        Optional<PartitionReplica> local = replicas.partition(tp).filter(PartitionReplica::isLeader);
        if (local.isPresent()) {
            try {
                long end = local.get().appendInternal(batch).lastOffset() + 1;
                return local.get().awaitCommitted(end);
            } catch (LogException e) {
                return CompletableFuture.failedFuture(
                        new DeadLetters.Refused(tp + " refuses the copies: " + e.getMessage()));
            } catch (ReplicaException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        int leader = Optional.ofNullable(replicas.image()
                        .topic(topic.id())
                        .orElse(topic)
                        .partitions()
                        .get(index))
                .map(PartitionImage::leader)
                .orElse(-1);
        if (leader < 0 || leader == replicas.nodeId()) {
            return CompletableFuture.failedFuture(new IOException(tp + " has no leader to write dead letters to"));
        }
        ProduceRequestData request =
                new ProduceRequestData().setAcks((short) -1).setTimeoutMs(TIMEOUT_MS);
        ProduceRequestData.TopicProduceData data =
                new ProduceRequestData.TopicProduceData().setName(topic.name()).setTopicId(Topics.toKafka(topic.id()));
        data.partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(index)
                        .setRecords(WireRecords.memory(batch)));
        request.topicData().add(data);
        return brokers.<ProduceResponseData>send(leader, request).thenAccept(response -> {
            ProduceResponseData.PartitionProduceResponse answer =
                    response.responses().iterator().next().partitionResponses().get(0);
            Errors error = Errors.forCode(answer.errorCode());
            if (error == Errors.NONE) {
                return;
            }
            String message = tp + " at broker " + leader + ": " + error.name()
                    + (answer.errorMessage() == null ? "" : " (" + answer.errorMessage() + ")");
            if (error == Errors.MESSAGE_TOO_LARGE
                    || error == Errors.RECORD_LIST_TOO_LARGE
                    || error == Errors.INVALID_RECORD
                    || error == Errors.CORRUPT_MESSAGE) {
                throw new DeadLetters.Refused(message);
            }
            throw new IllegalStateException(message);
        });
    }
}
