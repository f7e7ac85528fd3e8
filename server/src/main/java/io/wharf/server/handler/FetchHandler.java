package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.common.timer.DelayTimer;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.protocol.wire.WireRecords;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.ClusterConfigs;
import io.wharf.storage.LogException;
import io.wharf.storage.LogSlice;
import io.wharf.storage.OffsetOutOfRangeException;
import io.wharf.storage.segment.AbortedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Fetch for consumers: whole batches up to the high watermark, as regions of segment files that go to the socket
 * without being copied. Size limits follow Kafka: each partition up to {@code partitionMaxBytes}, the whole response up
 * to {@code maxBytes}, except that the first partition with data returns at least one batch. When fewer than
 * {@code minBytes} are ready, the fetch waits up to {@code maxWaitMs}, woken whenever a watermark it reads moves.
 *
 * <p>Fetch sessions (KIP-227) are not created: every response has session id 0, so clients send full fetches. That
 * is the protocol's sessionless mode, which every client supports. Fetches from followers are served by {@link
 * FollowerFetches}.
 */
public final class FetchHandler implements ApiHandler {

    private final BrokerServices services;
    private final Executor requestThreads;
    private final FollowerFetches followers;
    private final boolean rackAware;

    public FetchHandler(BrokerServices services, Executor requestThreads) {
        this.services = services;
        this.requestThreads = requestThreads;
        this.followers = new FollowerFetches(services, requestThreads);
        this.rackAware = services.config().get(ClusterConfigs.REPLICA_SELECTOR_CLASS) != null;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    /**
     * A fetch that finds nothing to read (every partition at or past its high watermark, or in error) touches no log
     * file: it is answered empty or parked until a watermark moves. That is what a caught-up consumer sends over and
     * over, so it is worth answering on the event loop.
     */
    @Override
    public boolean answersWithoutBlocking(KafkaRequest request) {
        FetchRequestData body = request.body();
        int replicaId = request.version() >= 15 ? body.replicaState().replicaId() : body.replicaId();
        if (replicaId >= 0) {
            return false;
        }
        MetadataImage image = services.replicas().image();
        for (FetchRequestData.FetchTopic fetchTopic : body.topics()) {
            Optional<TopicImage> topic = request.version() >= 13
                    ? image.topic(Topics.fromKafka(fetchTopic.topicId()))
                    : image.topic(fetchTopic.topic());
            if (topic.isEmpty()) {
                continue;
            }
            for (FetchRequestData.FetchPartition wanted : fetchTopic.partitions()) {
                if (wanted.partition() < 0) {
                    continue;
                }
                Optional<PartitionReplica> hosted = services.replicas()
                        .partition(new TopicPartition(topic.get().name(), wanted.partition()));
                if (hosted.isPresent() && wanted.fetchOffset() < hosted.get().highWatermark()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What one pass over the requested partitions found. */
    private record Pass(FetchResponseData response, long bytes, boolean hasError, List<PartitionReplica> partitions) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        FetchRequestData body = request.body();
        int replicaId = request.version() >= 15 ? body.replicaState().replicaId() : body.replicaId();
        if (replicaId >= 0) {
            long replicaEpoch = request.version() >= 15 ? body.replicaState().replicaEpoch() : -1;
            return followers.handle(request.version(), body, replicaId, replicaEpoch);
        }
        if (body.sessionId() != 0 || body.sessionEpoch() > 0) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())
                    .setSessionId(0));
        }
        Pass first = read(request.version(), body);
        if (first.bytes() >= body.minBytes()
                || first.hasError()
                || body.maxWaitMs() <= 0
                || first.partitions().isEmpty()) {
            return CompletableFuture.completedFuture(withLeaderHints(first.response(), context, request.version()));
        }
        return new DelayedFetch(request.version(), body, first)
                .start()
                .thenApply(response -> withLeaderHints((FetchResponseData) response, context, request.version()));
    }

    /** Names the new leader of each partition refused as not led here (v16+, KIP-951). */
    private ApiMessage withLeaderHints(FetchResponseData response, RequestContext context, short version) {
        if (version < 16) {
            return response;
        }
        LeaderHints hints = new LeaderHints(services.replicas().image(), context.listenerName());
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            String name = version >= 13
                    ? services.replicas()
                            .topicName(Topics.fromKafka(topic.topicId()))
                            .orElse(null)
                    : topic.topic();
            for (FetchResponseData.PartitionData p : topic.partitions()) {
                if (name != null && LeaderHints.wantsHint(p.errorCode())) {
                    hints.leaderOf(new TopicPartition(name, p.partitionIndex()))
                            .ifPresent(leader -> p.currentLeader()
                                    .setLeaderId(leader.leaderId())
                                    .setLeaderEpoch(leader.leaderEpoch()));
                }
            }
        }
        hints.endpoints()
                .forEach((id, endpoint) -> response.nodeEndpoints()
                        .add(new FetchResponseData.NodeEndpoint()
                                .setNodeId(id)
                                .setHost(endpoint.host())
                                .setPort(endpoint.port())
                                .setRack(hints.rack(id))));
        return response;
    }

    private static final byte READ_COMMITTED = 1;

    private Pass read(short version, FetchRequestData body) {
        MetadataImage image = services.replicas().image();
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        long remaining = body.maxBytes();
        long total = 0;
        boolean hasError = false;
        List<PartitionReplica> watched = new ArrayList<>();
        for (FetchRequestData.FetchTopic fetchTopic : body.topics()) {
            Optional<TopicImage> topic = version >= 13
                    ? image.topic(Topics.fromKafka(fetchTopic.topicId()))
                    : image.topic(fetchTopic.topic());
            FetchResponseData.FetchableTopicResponse topicResponse = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(fetchTopic.topic())
                    .setTopicId(fetchTopic.topicId() == null ? Uuid.ZERO_UUID : fetchTopic.topicId());
            for (FetchRequestData.FetchPartition wanted : fetchTopic.partitions()) {
                FetchResponseData.PartitionData partitionData = new FetchResponseData.PartitionData()
                        .setPartitionIndex(wanted.partition())
                        .setHighWatermark(-1)
                        .setLastStableOffset(-1)
                        .setLogStartOffset(-1)
                        .setPreferredReadReplica(-1)
                        .setRecords(WireRecords.empty());
                topicResponse.partitions().add(partitionData);
                if (topic.isEmpty() || wanted.partition() < 0) {
                    partitionData.setErrorCode((topic.isEmpty() && version >= 13
                                    ? Errors.UNKNOWN_TOPIC_ID
                                    : Errors.UNKNOWN_TOPIC_OR_PARTITION)
                            .code());
                    hasError = true;
                    continue;
                }
                LeaderEpochs.Led led = LeaderEpochs.findReadable(
                        services,
                        new TopicPartition(topic.get().name(), wanted.partition()),
                        wanted.currentLeaderEpoch());
                if (led.error() != Errors.NONE) {
                    partitionData.setErrorCode(led.error().code());
                    hasError = true;
                    continue;
                }
                PartitionReplica partition = led.partition();
                int preferred = preferredReadReplica(version, body, partition);
                if (preferred >= 0) {
                    partitionData
                            .setPreferredReadReplica(preferred)
                            .setHighWatermark(partition.highWatermark())
                            .setLastStableOffset(partition.lastStableOffset())
                            .setLogStartOffset(partition.log().logStartOffset());
                    hasError = true;
                    continue;
                }
                watched.add(partition);
                int limit = (int) Math.max(0, Math.min(wanted.partitionMaxBytes(), remaining));
                long bytes = readPartition(
                        partition, wanted, limit, total == 0, body.isolationLevel() == READ_COMMITTED, partitionData);
                if (partitionData.errorCode() != Errors.NONE.code()) {
                    hasError = true;
                }
                total += bytes;
                remaining -= bytes;
            }
            response.responses().add(topicResponse);
        }
        return new Pass(response, total, hasError, watched);
    }

    /**
     * With the rack-aware replica selector, the in-sync replica in the consumer's rack ({@code client.rack}) a leader
     * sends the consumer to, or -1 to serve it here.
     */
    private int preferredReadReplica(short version, FetchRequestData body, PartitionReplica partition) {
        if (!rackAware
                || version < 11
                || !partition.isLeader()
                || body.rackId() == null
                || body.rackId().isEmpty()) {
            return -1;
        }
        MetadataImage image = services.replicas().image();
        String localRack = image.broker(services.nodeId()).map(b -> b.rack()).orElse(null);
        if (body.rackId().equals(localRack)) {
            return -1;
        }
        for (int replica : partition.assignment().isr()) {
            String rack = image.broker(replica)
                    .filter(b -> b.isActive())
                    .map(b -> b.rack())
                    .orElse(null);
            if (replica != services.nodeId() && body.rackId().equals(rack)) {
                return replica;
            }
        }
        return -1;
    }

    private static long readPartition(
            PartitionReplica partition,
            FetchRequestData.FetchPartition wanted,
            int limit,
            boolean minOneBatch,
            boolean readCommitted,
            FetchResponseData.PartitionData partitionData) {
        long highWatermark = partition.highWatermark();
        long lastStable = partition.lastStableOffset();
        partitionData
                .setHighWatermark(highWatermark)
                .setLastStableOffset(lastStable)
                .setLogStartOffset(partition.log().logStartOffset());
        try {
            LogSlice slice = partition.readForConsumer(wanted.fetchOffset(), limit, minOneBatch, readCommitted);
            if (readCommitted) {
                // Only read_committed consumers drop aborted records; an empty list tells them there are none.
                List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
                for (AbortedTransaction entry : partition.log().abortedTransactions(wanted.fetchOffset(), lastStable)) {
                    aborted.add(new FetchResponseData.AbortedTransaction()
                            .setProducerId(entry.producerId())
                            .setFirstOffset(entry.firstOffset()));
                }
                partitionData.setAbortedTransactions(aborted);
            }
            if (!slice.isEmpty()) {
                partitionData.setRecords(WireRecords.file(slice.channel(), slice.position(), slice.sizeInBytes()));
            }
            return slice.sizeInBytes();
        } catch (OffsetOutOfRangeException e) {
            partitionData.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
        } catch (LogException e) {
            partitionData.setErrorCode(ErrorMapping.of(e.error()).code());
        }
        return 0;
    }

    /**
     * A fetch waiting for {@code minBytes}: re-read whenever a watched watermark moves, answered once enough is
     * there or {@code maxWaitMs} has passed.
     */
    private final class DelayedFetch implements Runnable {
        private final short version;
        private final FetchRequestData body;
        private final List<PartitionReplica> watched;
        private final CompletableFuture<ApiMessage> result = new CompletableFuture<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicBoolean recheckQueued = new AtomicBoolean();
        private DelayTimer.Scheduled timeout;

        DelayedFetch(short version, FetchRequestData body, Pass first) {
            this.version = version;
            this.body = body;
            this.watched = first.partitions();
        }

        CompletableFuture<ApiMessage> start() {
            watched.forEach(p -> p.watchWatermark(this));
            timeout = services.timer()
                    .schedule(body.maxWaitMs(), () -> requestThreads.execute(() -> finish(read(version, body))));
            // Data may have arrived between the first pass and watching.
            run();
            return result;
        }

        /** A watermark moved: re-check on a request thread, at most one re-check queued at a time. */
        @Override
        public void run() {
            if (!done.get() && recheckQueued.compareAndSet(false, true)) {
                requestThreads.execute(() -> {
                    recheckQueued.set(false);
                    Pass pass = read(version, body);
                    boolean gone = watched.stream().anyMatch(PartitionReplica::isRemoved);
                    if (pass.bytes() >= body.minBytes() || pass.hasError() || gone) {
                        finish(pass);
                    }
                });
            }
        }

        private void finish(Pass pass) {
            if (done.compareAndSet(false, true)) {
                watched.forEach(p -> p.unwatchWatermark(this));
                if (timeout != null) {
                    timeout.cancel();
                }
                result.complete(pass.response());
            }
        }
    }
}
