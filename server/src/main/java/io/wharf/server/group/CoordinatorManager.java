package io.wharf.server.group;

import io.wharf.metadata.MetadataController;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.partition.ReplicaManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a coordinator up over its internal topic: the topic is created when the first request needs it (so a broker
 * that never sees a group or a queue never pays for fifty partitions), its partitions are replayed, and then requests
 * are served. A broker that finds the topic at start loads it at once.
 *
 * <p>Thread-safe.
 *
 * @param <C> the coordinator
 */
public final class CoordinatorManager<C extends AutoCloseable> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorManager.class);

    /** The internal topic: name, partitions and replicas when created, and its topic settings. */
    public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {}

    private final MetadataController controller;
    private final ReplicaManager replicas;
    private final TopicSpec topic;
    private final Function<Integer, CompletableFuture<C>> loader;
    private CompletableFuture<C> ready;

    /**
     * @param loader makes and loads the coordinator over the topic's partitions, given their count
     */
    public CoordinatorManager(
            MetadataController controller,
            ReplicaManager replicas,
            TopicSpec topic,
            Function<Integer, CompletableFuture<C>> loader) {
        this.controller = controller;
        this.replicas = replicas;
        this.topic = topic;
        this.loader = loader;
    }

    /** Loads the coordinator at start when its topic already exists. */
    public synchronized void startIfPresent() {
        Optional<TopicImage> existing = replicas.image().topic(topic.name());
        if (existing.isPresent() && ready == null) {
            ready = loader.apply(existing.get().partitionCount());
        }
    }

    /** The coordinator, once its topic exists and is loaded; creates the topic first when it is missing. */
    public synchronized CompletableFuture<C> coordinator() {
        if (ready != null && !ready.isCompletedExceptionally()) {
            return ready;
        }
        Optional<TopicImage> existing = replicas.image().topic(topic.name());
        if (existing.isPresent()) {
            ready = loader.apply(existing.get().partitionCount());
            return ready;
        }
        MetadataController.NewTopic newTopic = new MetadataController.NewTopic(
                topic.name(), topic.partitions(), topic.replicationFactor(), Map.of(), topic.configs());
        ready = controller.createTopics(List.of(newTopic), false).thenCompose(results -> {
            MetadataController.TopicResult result = results.get(0);
            if (!result.isSuccess() && replicas.image().topic(topic.name()).isEmpty()) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("cannot create " + topic.name() + ": " + result.message()));
            }
            log.info("Created {} with {} partitions", topic.name(), topic.partitions());
            return loader.apply(
                    replicas.image().topic(topic.name()).orElseThrow().partitionCount());
        });
        return ready;
    }

    /** The coordinator if it is already loaded, without creating its topic. */
    public synchronized Optional<C> loaded() {
        if (ready != null && ready.isDone() && !ready.isCompletedExceptionally()) {
            return Optional.of(ready.join());
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() throws Exception {
        Optional<C> coordinator = loaded();
        if (coordinator.isPresent()) {
            coordinator.get().close();
        }
    }
}
