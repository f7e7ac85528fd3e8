package io.wharf.server.partition;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.network.NetworkClient;
import io.wharf.protocol.wire.RequestCodec;
import io.wharf.protocol.wire.ResponseCodec;
import io.wharf.protocol.wire.WireRecords;
import io.wharf.replication.LeaderClient;
import io.wharf.replication.ReplicaError;
import io.wharf.server.handler.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * A follower's fetches, as Kafka Fetch requests with the follower's replica id and broker epoch (Fetch v15+, with
 * topic ids, last fetched epochs and diverging epochs), sent to the leader's inter-broker listener. Any Kafka-protocol
 * leader that serves replica fetches could answer them. Stateless apart from the connections; thread-safe.
 */
public final class ReplicaClient implements LeaderClient, AutoCloseable {

    private static final short FETCH_VERSION = ApiKeys.FETCH.latestVersion(false);

    private final NetworkClient network;
    private final Supplier<MetadataImage> image;
    private final String listenerName;
    private final long requestTimeoutMs;

    /**
     * @param image the current metadata, where leaders' addresses are found
     * @param listenerName the listener brokers reach each other on ({@code inter.broker.listener.name})
     */
    public ReplicaClient(
            NetworkClient network, Supplier<MetadataImage> image, String listenerName, long requestTimeoutMs) {
        this.network = network;
        this.image = image;
        this.listenerName = listenerName;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    @Override
    public CompletableFuture<List<Fetched>> fetch(int leaderId, Request request) {
        Optional<Endpoint> endpoint = image.get().broker(leaderId).flatMap(b -> b.endpoint(listenerName));
        if (endpoint.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IOException("broker " + leaderId + " has no " + listenerName + " listener registered"));
        }
        Map<TopicId, String> names = new HashMap<>();
        Map<TopicId, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
        for (Wanted wanted : request.partitions()) {
            names.put(wanted.topicId(), wanted.topicPartition().topic());
            topics.computeIfAbsent(
                            wanted.topicId(),
                            id -> new FetchRequestData.FetchTopic()
                                    .setTopic(wanted.topicPartition().topic())
                                    .setTopicId(Topics.toKafka(id)))
                    .partitions()
                    .add(new FetchRequestData.FetchPartition()
                            .setPartition(wanted.topicPartition().partition())
                            .setCurrentLeaderEpoch(wanted.currentLeaderEpoch())
                            .setFetchOffset(wanted.fetchOffset())
                            .setLastFetchedEpoch(wanted.lastFetchedEpoch())
                            .setLogStartOffset(wanted.logStartOffset())
                            .setPartitionMaxBytes(wanted.maxBytes()));
        }
        FetchRequestData body = new FetchRequestData()
                .setReplicaState(new FetchRequestData.ReplicaState()
                        .setReplicaId(request.replicaId())
                        .setReplicaEpoch(request.brokerEpoch()))
                .setMaxWaitMs(request.maxWaitMs())
                .setMinBytes(request.minBytes())
                .setMaxBytes(request.maxBytes())
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(new ArrayList<>(topics.values()));
        int correlationId = network.nextCorrelationId();
        ByteBuffer frame =
                RequestCodec.encode(body, FETCH_VERSION, "wharf-replica-" + request.replicaId(), correlationId);
        return network.send(
                        endpoint.get().host(),
                        endpoint.get().port(),
                        frame,
                        correlationId,
                        request.maxWaitMs() + requestTimeoutMs)
                .thenApply(response -> answers(
                        (FetchResponseData) ResponseCodec.decode(ApiKeys.FETCH, FETCH_VERSION, response), names));
    }

    private static List<Fetched> answers(FetchResponseData response, Map<TopicId, String> names) {
        if (response.errorCode() != Errors.NONE.code()) {
            throw new IllegalStateException("the leader refused the fetch: "
                    + Errors.forCode(response.errorCode()).name());
        }
        List<Fetched> answers = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            Uuid id = topic.topicId();
            String name = names.get(Topics.fromKafka(id));
            if (name == null) {
                continue;
            }
            for (FetchResponseData.PartitionData p : topic.partitions()) {
                answers.add(new Fetched(
                        new TopicPartition(name, p.partitionIndex()),
                        error(p.errorCode()),
                        p.highWatermark(),
                        p.logStartOffset(),
                        WireRecords.buffer(p.records()),
                        p.divergingEpoch().epoch(),
                        p.divergingEpoch().endOffset()));
            }
        }
        return answers;
    }

    private static ReplicaError error(short code) {
        try {
            return ReplicaError.valueOf(Errors.forCode(code).name());
        } catch (IllegalArgumentException e) {
            return ReplicaError.UNKNOWN_SERVER_ERROR;
        }
    }

    @Override
    public void close() {
        network.close();
    }
}
