package io.wharf.server.txn;

import io.wharf.common.TopicPartition;
import io.wharf.common.timer.DelayTimer;
import io.wharf.coordinator.txn.TransactionMarkerWriter;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.server.share.InterBrokerClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a transaction's markers to the leaders of its partitions: through {@link MarkerAppender} for those this broker
 * leads, by WriteTxnMarkers for the others, and again after {@link #RETRY_BACKOFF_MS} for every partition that did not
 * take its marker (no leader, a leader that moved, a broker down), until all have it. Thread-safe.
 */
public final class TransactionMarkerSender implements TransactionMarkerWriter {

    static final long RETRY_BACKOFF_MS = 100;

    private static final Logger log = LoggerFactory.getLogger(TransactionMarkerSender.class);

    private final int nodeId;
    private final Supplier<MetadataImage> image;
    private final MarkerAppender local;
    private final InterBrokerClient brokers;
    private final DelayTimer timer;
    private final Executor executor;

    public TransactionMarkerSender(
            int nodeId,
            Supplier<MetadataImage> image,
            MarkerAppender local,
            InterBrokerClient brokers,
            DelayTimer timer,
            Executor executor) {
        this.nodeId = nodeId;
        this.image = image;
        this.local = local;
        this.brokers = brokers;
        this.timer = timer;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<Void> write(
            long producerId, short epoch, boolean commit, int coordinatorEpoch, Set<TopicPartition> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Set<TopicPartition> remaining = ConcurrentHashMap.newKeySet();
        remaining.addAll(partitions);
        executor.execute(() -> attempt(producerId, epoch, commit, coordinatorEpoch, remaining, done));
        return done;
    }

    private void attempt(
            long producerId,
            short epoch,
            boolean commit,
            int coordinatorEpoch,
            Set<TopicPartition> remaining,
            CompletableFuture<Void> done) {
        if (remaining.isEmpty()) {
            done.complete(null);
            return;
        }
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        MetadataImage current = image.get();
        for (TopicPartition tp : remaining) {
            int leader = current.topic(tp.topic())
                    .map(t -> tp.partition() < t.partitions().size()
                            ? t.partitions().get(tp.partition()).leader()
                            : -2)
                    .orElse(-2);
            if (leader == -2) {
                remaining.remove(tp); // the topic or partition is gone: nothing to end there
            } else if (leader >= 0) {
                byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(tp);
            }
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        byLeader.forEach((leader, tps) -> {
            if (leader == nodeId) {
                for (TopicPartition tp : tps) {
                    sent.add(local.append(tp, producerId, epoch, commit, coordinatorEpoch)
                            .thenAccept(error -> settle(tp, error, remaining)));
                }
            } else {
                sent.add(sendRemote(leader, tps, producerId, epoch, commit, coordinatorEpoch, remaining));
            }
        });
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
            if (remaining.isEmpty()) {
                done.complete(null);
            } else {
                timer.schedule(
                        RETRY_BACKOFF_MS,
                        () -> executor.execute(
                                () -> attempt(producerId, epoch, commit, coordinatorEpoch, remaining, done)));
            }
        });
    }

    private CompletableFuture<Void> sendRemote(
            int leader,
            List<TopicPartition> tps,
            long producerId,
            short epoch,
            boolean commit,
            int coordinatorEpoch,
            Set<TopicPartition> remaining) {
        Map<String, WriteTxnMarkersRequestData.WritableTxnMarkerTopic> topics = new HashMap<>();
        for (TopicPartition tp : tps) {
            topics.computeIfAbsent(tp.topic(), t -> new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(t))
                    .partitionIndexes()
                    .add(tp.partition());
        }
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData()
                .setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker()
                        .setProducerId(producerId)
                        .setProducerEpoch(epoch)
                        .setTransactionResult(commit)
                        .setCoordinatorEpoch(coordinatorEpoch)
                        .setTopics(new ArrayList<>(topics.values()))));
        return brokers.<WriteTxnMarkersResponseData>send(leader, request).handle((response, failure) -> {
            if (failure != null) {
                log.debug("Markers to broker {} failed, retrying: {}", leader, failure.getMessage());
                return null;
            }
            for (WriteTxnMarkersResponseData.WritableTxnMarkerResult marker : response.markers()) {
                for (WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topic : marker.topics()) {
                    for (WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult p : topic.partitions()) {
                        settle(
                                new TopicPartition(topic.name(), p.partitionIndex()),
                                Errors.forCode(p.errorCode()),
                                remaining);
                    }
                }
            }
            return null;
        });
    }

    private static void settle(TopicPartition tp, Errors error, Set<TopicPartition> remaining) {
        if (error == Errors.NONE) {
            remaining.remove(tp);
        } else {
            log.debug("Marker for {} not written ({}), retrying", tp, error);
        }
    }
}
