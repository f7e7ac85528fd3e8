package io.wharf.server.share;

import io.wharf.common.Clock;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.share.PersistedShareState;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.ShareStateException;
import io.wharf.coordinator.share.ShareStateStore;
import io.wharf.coordinator.share.ShareStateSummary;
import io.wharf.coordinator.share.ShareStateWrite;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.group.CoordinatorManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * The way to the share coordinators (KIP-932's persister): each request goes to the broker that leads the partition
 * of {@code __share_group_state} its share-partition hashes to, as the metadata says: to the share coordinator in
 * this process when that is this broker, else with the share-group state RPCs ({@link RemoteShareCoordinator}). The
 * topic is created first when no share group has needed it yet.
 *
 * <p>While the partition moves (no leader yet, not loaded yet, a broker that died, a connection that broke) a
 * request is sent again, backing off and looking the leader up again each time, until
 * {@code wharf.share.persister.timeout.ms} has passed; then it fails COORDINATOR_NOT_AVAILABLE. A request the
 * coordinator refused (a fenced epoch, a bad request) fails at once. Sending a request again is safe even when an
 * earlier attempt may have been applied: each request is idempotent, and a share-partition leader has one write in
 * flight at a time.
 *
 * <p>Thread-safe.
 */
public final class ShareStatePersister implements ShareStateStore {

    private static final long BACKOFF_INITIAL_MS = 20;
    private static final long BACKOFF_MAX_MS = 500;

    /** A share coordinator that also takes many share-partitions of a group in one request. */
    interface BatchStore extends ShareStateStore {
        /** Each key's summary, or the error it got. */
        CompletableFuture<Map<SharePartitionKey, RemoteShareCoordinator.Summarized>> summaries(
                String groupId, Collection<SharePartitionKey> keys);

        /** Each key's error, NONE when deleted. */
        CompletableFuture<Map<SharePartitionKey, Errors>> deleteAll(String groupId, Collection<SharePartitionKey> keys);
    }

    /** Where the share coordinators are: what the persister needs of the metadata and of other brokers. */
    interface Placement {
        /** The broker whose share coordinator holds {@code key} now, -1 when none is known, -2 without the topic. */
        int leaderOf(SharePartitionKey key);

        /** Creates {@code __share_group_state} when it is missing. */
        CompletableFuture<Void> createTopic();

        /** The share coordinator on this broker. */
        CompletableFuture<ShareStateStore> local();

        /** The share coordinator on broker {@code brokerId}. */
        BatchStore remote(int brokerId);
    }

    /** Where they are in a broker: leaders in the metadata, this broker's coordinator, the others' by RPC. */
    private record BrokerPlacement(
            Supplier<MetadataImage> image, CoordinatorManager<ShareCoordinator> shares, InterBrokerClient brokers)
            implements Placement {

        @Override
        public int leaderOf(SharePartitionKey key) {
            Optional<TopicImage> topic = image.get().topic(ShareCoordinator.TOPIC);
            if (topic.isEmpty()) {
                return -2;
            }
            PartitionImage partition = topic.get()
                    .partitions()
                    .get(ShareCoordinator.partitionFor(key, topic.get().partitionCount()));
            return partition == null ? -1 : partition.leader();
        }

        @Override
        public CompletableFuture<Void> createTopic() {
            return shares.coordinator().thenAccept(created -> {});
        }

        @Override
        public CompletableFuture<ShareStateStore> local() {
            return shares.coordinator().thenApply(coordinator -> coordinator);
        }

        @Override
        public BatchStore remote(int brokerId) {
            return new RemoteShareCoordinator(brokers, brokerId);
        }
    }

    private final int nodeId;
    private final Placement placement;
    private final CoordinatorTimer timer;
    private final Clock clock;
    private final long timeoutMs;

    /**
     * @param image where the leaders of {@code __share_group_state} are found
     * @param shares the share coordinator on this broker
     * @param brokers reaches the share coordinators on other brokers
     * @param timer schedules the attempts after the first
     * @param timeoutMs how long a request keeps being sent while its partition moves
     */
    public ShareStatePersister(
            int nodeId,
            Supplier<MetadataImage> image,
            CoordinatorManager<ShareCoordinator> shares,
            InterBrokerClient brokers,
            CoordinatorTimer timer,
            Clock clock,
            long timeoutMs) {
        this(nodeId, new BrokerPlacement(image, shares, brokers), timer, clock, timeoutMs);
    }

    ShareStatePersister(int nodeId, Placement placement, CoordinatorTimer timer, Clock clock, long timeoutMs) {
        this.nodeId = nodeId;
        this.placement = placement;
        this.timer = timer;
        this.clock = clock;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
        return withRetries(key, store -> store.read(key, leaderEpoch));
    }

    @Override
    public CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write) {
        return withRetries(key, store -> store.write(key, write));
    }

    @Override
    public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        return withRetries(key, store -> store.initialize(key, stateEpoch, startOffset));
    }

    @Override
    public CompletableFuture<Void> delete(SharePartitionKey key) {
        return withRetries(key, store -> store.delete(key));
    }

    @Override
    public CompletableFuture<Optional<ShareStateSummary>> summary(SharePartitionKey key) {
        return withRetries(key, store -> store.summary(key));
    }

    /**
     * Summarizes many share-partitions of one group: one request per broker that holds some, then each one that did
     * not get its answer on its own, with retries.
     *
     * @return each key's summary (empty when it does not exist); fails when one could not be summarized
     */
    public CompletableFuture<Map<SharePartitionKey, Optional<ShareStateSummary>>> summaries(
            String groupId, Collection<SharePartitionKey> keys) {
        Map<SharePartitionKey, Optional<ShareStateSummary>> answers = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        byBroker(keys).forEach((broker, group) -> {
            if (broker == nodeId || broker < 0) {
                group.forEach(key -> done.add(summary(key).thenAccept(s -> answers.put(key, s))));
                return;
            }
            done.add(placement
                    .remote(broker)
                    .summaries(groupId, group)
                    .exceptionally(failure -> Map.of())
                    .thenCompose(batch -> {
                        List<CompletableFuture<Void>> one = new ArrayList<>();
                        for (SharePartitionKey key : group) {
                            RemoteShareCoordinator.Summarized got = batch.get(key);
                            if (got != null && got.error() == Errors.NONE) {
                                answers.put(key, got.summary());
                            } else {
                                one.add(summary(key).thenAccept(s -> answers.put(key, s)));
                            }
                        }
                        return CompletableFuture.allOf(one.toArray(CompletableFuture[]::new));
                    }));
        });
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenApply(v -> answers);
    }

    /**
     * Deletes many share-partitions of one group: one request per broker that holds some, then each one that was not
     * deleted on its own, with retries.
     */
    public CompletableFuture<Void> deleteAll(String groupId, Collection<SharePartitionKey> keys) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        byBroker(keys).forEach((broker, group) -> {
            if (broker == nodeId || broker < 0) {
                group.forEach(key -> done.add(delete(key)));
                return;
            }
            done.add(placement
                    .remote(broker)
                    .deleteAll(groupId, group)
                    .exceptionally(failure -> Map.of())
                    .thenCompose(errors -> CompletableFuture.allOf(group.stream()
                            .filter(key -> errors.get(key) != Errors.NONE)
                            .map(this::delete)
                            .toArray(CompletableFuture[]::new))));
        });
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** The keys by the broker whose share coordinator holds them now (negative when none is known). */
    private Map<Integer, List<SharePartitionKey>> byBroker(Collection<SharePartitionKey> keys) {
        Map<Integer, List<SharePartitionKey>> byBroker = new HashMap<>();
        for (SharePartitionKey key : keys) {
            byBroker.computeIfAbsent(placement.leaderOf(key), b -> new ArrayList<>())
                    .add(key);
        }
        return byBroker;
    }

    /** The share coordinator that holds {@code key} now, creating {@code __share_group_state} if it is missing. */
    private CompletableFuture<ShareStateStore> storeFor(SharePartitionKey key) {
        int leader = placement.leaderOf(key);
        if (leader == -2) {
            return placement.createTopic().thenCompose(created -> {
                int after = placement.leaderOf(key);
                return after < 0 ? noLeader(key) : store(after);
            });
        }
        return leader < 0 ? noLeader(key) : store(leader);
    }

    private static CompletableFuture<ShareStateStore> noLeader(SharePartitionKey key) {
        return CompletableFuture.failedFuture(new ShareStateException(
                Errors.COORDINATOR_NOT_AVAILABLE, "the share coordinator of " + key + " has no leader"));
    }

    private CompletableFuture<ShareStateStore> store(int leader) {
        return leader == nodeId ? placement.local() : CompletableFuture.completedFuture(placement.remote(leader));
    }

    private <T> CompletableFuture<T> withRetries(
            SharePartitionKey key, Function<ShareStateStore, CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(key, request, clock.nowMs() + timeoutMs, BACKOFF_INITIAL_MS, result);
        return result;
    }

    private <T> void attempt(
            SharePartitionKey key,
            Function<ShareStateStore, CompletableFuture<T>> request,
            long deadlineMs,
            long backoffMs,
            CompletableFuture<T> result) {
        CompletableFuture<T> sent;
        try {
            sent = storeFor(key).thenCompose(request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(failure);
            // A refusal changed nothing and will not change by asking again; anything else (the partition moves, a
            // broker is gone, a connection broke, an answer was lost) is asked again of whoever leads it then.
            boolean retriable = !(cause instanceof ShareStateException refused) || refused.isRetriable();
            if (!retriable) {
                result.completeExceptionally(cause);
            } else if (clock.nowMs() + backoffMs > deadlineMs) {
                result.completeExceptionally(new ShareStateException(
                        Errors.COORDINATOR_NOT_AVAILABLE,
                        "the share coordinator of " + key + " could not be reached within " + timeoutMs + " ms: "
                                + cause.getMessage()));
            } else {
                timer.schedule(
                        backoffMs,
                        () -> attempt(key, request, deadlineMs, Math.min(BACKOFF_MAX_MS, 2 * backoffMs), result));
            }
        });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
