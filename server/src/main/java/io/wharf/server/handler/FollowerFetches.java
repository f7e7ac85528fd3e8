package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.common.timer.DelayTimer;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.WireRecords;
import io.wharf.replication.FollowerRead;
import io.wharf.replication.PartitionReplica;
import io.wharf.replication.ReplicaError;
import io.wharf.replication.ReplicationThrottle;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Fetches from followers (a replica id in the request): each partition is read by its leader replica from the
 * follower's fetch offset up to the log end, past the high watermark, from the same file regions consumers get; the
 * follower's position is noted, which moves the watermark. A follower whose last fetched epoch does not match the
 * leader's log is told where they diverged ({@code DivergingEpoch}) and sent nothing. With nothing new the fetch
 * waits up to {@code maxWaitMs} for an append to any of its partitions.
 *
 * <p>A follower outside the ISR of a partition whose replica here is throttled ({@code
 * leader.replication.throttled.replicas}) gets nothing for it while this broker's throttled bytes are over {@code
 * leader.replication.throttled.rate}.
 *
 * <p>A follower must be registered with the epoch it sends, so a fenced or replaced broker's fetches count for
 * nothing.
 */
final class FollowerFetches {

    private final BrokerServices services;
    private final Executor requestThreads;
    private final ReplicationThrottle throttle;

    FollowerFetches(BrokerServices services, Executor requestThreads) {
        this.services = services;
        this.requestThreads = requestThreads;
        this.throttle = services.replicas().leaderThrottle();
    }

    /** What one pass found. */
    private record Pass(
            FetchResponseData response,
            long bytes,
            boolean hasError,
            List<PartitionReplica> partitions,
            Set<TopicPartition> heldBack) {}

    CompletableFuture<ApiMessage> handle(short version, FetchRequestData body, int replicaId, long replicaEpoch) {
        boolean registered = services.replicas()
                .image()
                .broker(replicaId)
                .filter(b -> replicaEpoch < 0 || b.epoch() == replicaEpoch)
                .isPresent();
        if (!registered) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.STALE_BROKER_EPOCH.code())
                    .setSessionId(0));
        }
        Pass first = read(version, body, replicaId);
        if (first.bytes() > 0
                || first.hasError()
                || body.maxWaitMs() <= 0
                || first.partitions().isEmpty()) {
            return CompletableFuture.completedFuture(first.response());
        }
        return new Waiting(version, body, replicaId, first).start();
    }

    private Pass read(short version, FetchRequestData body, int replicaId) {
        MetadataImage image = services.replicas().image();
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        long remaining = body.maxBytes();
        long total = 0;
        boolean hasError = false;
        List<PartitionReplica> watched = new ArrayList<>();
        Set<TopicPartition> heldBack = new HashSet<>();
        for (FetchRequestData.FetchTopic fetchTopic : body.topics()) {
            Optional<TopicImage> topic = version >= 13
                    ? image.topic(Topics.fromKafka(fetchTopic.topicId()))
                    : image.topic(fetchTopic.topic());
            FetchResponseData.FetchableTopicResponse topicResponse = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(fetchTopic.topic())
                    .setTopicId(fetchTopic.topicId() == null ? Uuid.ZERO_UUID : fetchTopic.topicId());
            for (FetchRequestData.FetchPartition wanted : fetchTopic.partitions()) {
                FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                        .setPartitionIndex(wanted.partition())
                        .setHighWatermark(-1)
                        .setLastStableOffset(-1)
                        .setLogStartOffset(-1)
                        .setPreferredReadReplica(-1)
                        .setRecords(WireRecords.empty());
                topicResponse.partitions().add(data);
                Optional<PartitionReplica> hosted = topic.flatMap(
                        t -> services.replicas().partition(new TopicPartition(t.name(), wanted.partition())));
                if (hosted.isEmpty()) {
                    data.setErrorCode(
                            (topic.isEmpty() && version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.NOT_LEADER_OR_FOLLOWER)
                                    .code());
                    hasError = true;
                    continue;
                }
                PartitionReplica partition = hosted.get();
                TopicPartition tp = partition.topicPartition();
                boolean inSync = partition.assignment().isr().contains(replicaId);
                // A moving replica is left out of this answer while the throttled bytes are over their rate.
                boolean throttled = throttle.holdsBack(tp, services.nodeId(), inSync);
                if (throttled) {
                    heldBack.add(tp);
                }
                int limit = throttled ? 0 : (int) Math.max(0, Math.min(wanted.partitionMaxBytes(), remaining));
                FollowerRead read = partition.readForFollower(
                        replicaId,
                        wanted.fetchOffset(),
                        wanted.lastFetchedEpoch(),
                        wanted.currentLeaderEpoch(),
                        Math.max(1, limit));
                data.setErrorCode(ErrorMapping.of(read.error()).code())
                        .setHighWatermark(read.highWatermark())
                        .setLastStableOffset(read.highWatermark())
                        .setLogStartOffset(read.logStartOffset());
                if (read.error() != ReplicaError.NONE) {
                    hasError = true;
                    continue;
                }
                watched.add(partition);
                if (read.divergingEpoch() >= 0) {
                    data.divergingEpoch().setEpoch(read.divergingEpoch()).setEndOffset(read.divergingEndOffset());
                    hasError = true;
                    continue;
                }
                if (!throttled && !read.slice().isEmpty()) {
                    throttle.record(tp, services.nodeId(), read.slice().sizeInBytes());
                    data.setRecords(WireRecords.file(
                            read.slice().channel(),
                            read.slice().position(),
                            read.slice().sizeInBytes()));
                    total += read.slice().sizeInBytes();
                    remaining -= read.slice().sizeInBytes();
                }
            }
            response.responses().add(topicResponse);
        }
        return new Pass(response, total, hasError, watched, heldBack);
    }

    /** A follower's fetch with nothing new: read again on every append, answered once there is data or time is up. */
    private final class Waiting implements Runnable {
        private final short version;
        private final FetchRequestData body;
        private final int replicaId;
        private final List<PartitionReplica> watched;
        /** Partitions held back by the throttle: new records there do not end the wait, as they would not be sent. */
        private final Set<TopicPartition> heldBack;

        private final CompletableFuture<ApiMessage> result = new CompletableFuture<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicBoolean recheckQueued = new AtomicBoolean();
        private DelayTimer.Scheduled timeout;

        Waiting(short version, FetchRequestData body, int replicaId, Pass first) {
            this.version = version;
            this.body = body;
            this.replicaId = replicaId;
            this.watched = first.partitions();
            this.heldBack = first.heldBack();
        }

        CompletableFuture<ApiMessage> start() {
            watched.forEach(p -> p.watchLogEnd(this));
            timeout = services.timer()
                    .schedule(
                            body.maxWaitMs(),
                            () -> requestThreads.execute(() -> finish(read(version, body, replicaId))));
            run();
            return result;
        }

        @Override
        public void run() {
            if (!done.get() && recheckQueued.compareAndSet(false, true)) {
                requestThreads.execute(() -> {
                    recheckQueued.set(false);
                    boolean moved = watched.stream().anyMatch(p -> !p.isLeader());
                    if (moved || anyNew()) {
                        finish(read(version, body, replicaId));
                    }
                });
            }
        }

        /** Whether a watched partition has records past what the follower asked for, without reading them. */
        private boolean anyNew() {
            for (FetchRequestData.FetchTopic topic : body.topics()) {
                for (FetchRequestData.FetchPartition wanted : topic.partitions()) {
                    for (PartitionReplica p : watched) {
                        if (!heldBack.contains(p.topicPartition())
                                && p.topicPartition().partition() == wanted.partition()
                                && p.topicPartition().topic().equals(topicName(topic))
                                && p.log().logEndOffset() > wanted.fetchOffset()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private String topicName(FetchRequestData.FetchTopic topic) {
            if (version >= 13) {
                return services.replicas()
                        .topicName(Topics.fromKafka(topic.topicId()))
                        .orElse("");
            }
            return topic.topic();
        }

        private void finish(Pass pass) {
            if (done.compareAndSet(false, true)) {
                watched.forEach(p -> p.unwatchLogEnd(this));
                if (timeout != null) {
                    timeout.cancel();
                }
                result.complete(pass.response());
            }
        }
    }
}
