package io.wharf.replication;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sends a follower's fetch to the broker that leads its partitions (Kafka's Fetch with a replica id). */
@FunctionalInterface
public interface LeaderClient {

    /** One partition of a follower's fetch. */
    record Wanted(
            TopicPartition topicPartition,
            TopicId topicId,
            long fetchOffset,
            int lastFetchedEpoch,
            int currentLeaderEpoch,
            long logStartOffset,
            int maxBytes) {}

    /** A follower's fetch. */
    record Request(
            int replicaId, long brokerEpoch, int maxWaitMs, int minBytes, int maxBytes, List<Wanted> partitions) {}

    /**
     * The leader's answer for one partition.
     *
     * @param records the batches, or null when there are none
     * @param divergingEpoch -1 unless the follower must truncate to {@code divergingEndOffset} first
     */
    record Fetched(
            TopicPartition topicPartition,
            ReplicaError error,
            long highWatermark,
            long logStartOffset,
            ByteBuffer records,
            int divergingEpoch,
            long divergingEndOffset) {}

    /** Fetches from broker {@code leaderId}; fails when the broker cannot be reached or answers with an error. */
    CompletableFuture<List<Fetched>> fetch(int leaderId, Request request);
}
