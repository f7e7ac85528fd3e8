package io.wharf.server.group;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.ShardedCoordinator;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.NewTopic;
import io.wharf.metadata.controller.TopicResult;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.partition.ReplicaManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a coordinator up over its internal topic and keeps its shards where the leadership is: the topic is created
 * when the first request needs it (so a broker that never sees a group or a queue never pays for fifty partitions),
 * and from then on every partition of it that this broker leads is loaded (replayed from its log) and every one it
 * stops leading is unloaded, as the replicas follow the metadata. Requests for a group whose partition is not loaded
 * here are answered NOT_COORDINATOR by the coordinator, and the client asks FindCoordinator again.
 *
 * <p>Thread-safe.
 *
 * @param <C> the coordinator
 */
public final class CoordinatorManager<C extends ShardedCoordinator> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorManager.class);

    /** The internal topic: name, partitions and replicas when created, and its topic settings. */
    public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {}

    private final Controller controller;
    private final ReplicaManager replicas;
    private final TopicSpec topic;
    private final IntFunction<C> factory;
    /** Guarded by this. */
    private C coordinator;
    /** Guarded by this. */
    private final Set<Integer> loaded = new HashSet<>();
    /** Guarded by this. */
    private CompletableFuture<C> creating;

    /**
     * @param factory makes the coordinator for the topic's partition count; it loads no partition itself
     */
    public CoordinatorManager(Controller controller, ReplicaManager replicas, TopicSpec topic, IntFunction<C> factory) {
        this.controller = controller;
        this.replicas = replicas;
        this.topic = topic;
        this.factory = factory;
        replicas.addListener(this::follow);
    }

    public String topicName() {
        return topic.name();
    }

    /** Loads what this broker leads at start when the topic already exists. */
    public void startIfPresent() {
        follow(replicas.image());
    }

    /** Makes the coordinator once its topic exists, and loads and unloads shards as this broker's leadership says. */
    private synchronized void follow(MetadataImage image) {
        Optional<TopicImage> existing = image.topic(topic.name());
        if (existing.isEmpty()) {
            return;
        }
        if (coordinator == null) {
            coordinator = factory.apply(existing.get().partitionCount());
        }
        Set<Integer> nowLoaded = new HashSet<>();
        long started = System.nanoTime();
        for (int p = 0; p < existing.get().partitionCount(); p++) {
            boolean leads = replicas.partition(new TopicPartition(topic.name(), p))
                    .map(PartitionReplica::isLeader)
                    .orElse(false);
            if (leads && !loaded.contains(p)) {
                int partition = p;
                coordinator.load(p).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        log.error("{}: loading partition {} failed", topic.name(), partition, failure);
                    }
                });
                nowLoaded.add(p);
            } else if (!leads && loaded.contains(p)) {
                coordinator.unload(p);
                loaded.remove(p);
            }
        }
        if (!nowLoaded.isEmpty()) {
            loaded.addAll(nowLoaded);
            log.info(
                    "{}: loading {} partitions this broker now leads (of {} led here), {} ms to start",
                    topic.name(),
                    nowLoaded.size(),
                    loaded.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** The coordinator, once its topic exists; creates the topic first when it is missing. */
    public CompletableFuture<C> coordinator() {
        synchronized (this) {
            if (coordinator != null) {
                return CompletableFuture.completedFuture(coordinator);
            }
            if (creating != null && !creating.isDone()) {
                return creating;
            }
        }
        if (replicas.image().topic(topic.name()).isPresent()) {
            follow(replicas.image());
            synchronized (this) {
                return CompletableFuture.completedFuture(coordinator);
            }
        }
        NewTopic newTopic =
                new NewTopic(topic.name(), topic.partitions(), topic.replicationFactor(), Map.of(), topic.configs());
        CompletableFuture<C> created = controller
                .createTopics(List.of(newTopic), false)
                .thenCompose(committed -> {
                    TopicResult result = committed.result().get(0);
                    if (result.isSuccess()) {
                        log.info("Created {} with {} partitions", topic.name(), topic.partitions());
                    }
                    follow(replicas.image());
                    synchronized (this) {
                        if (coordinator == null) {
                            return CompletableFuture.failedFuture(new IllegalStateException(
                                    "cannot create " + topic.name() + ": " + result.message()));
                        }
                        return CompletableFuture.completedFuture(coordinator);
                    }
                });
        synchronized (this) {
            creating = created;
        }
        return created;
    }

    /** The coordinator if it exists already, without creating its topic. */
    public synchronized Optional<C> loaded() {
        return Optional.ofNullable(coordinator);
    }

    @Override
    public synchronized void close() {
        if (coordinator != null) {
            coordinator.close();
        }
    }
}
