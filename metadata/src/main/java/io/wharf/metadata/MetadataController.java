package io.wharf.metadata;

import io.wharf.common.TopicId;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.metadata.record.BrokerRecord;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.ProducerIdsRecord;
import io.wharf.metadata.record.RemoveTopicRecord;
import io.wharf.metadata.record.TopicRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one writer of the metadata log. Each operation runs on the controller's thread: it reads the current image,
 * decides what records the change needs (or refuses it, with a {@link MetadataError}), appends them, and only then
 * applies them to make the next image, the same way the log is replayed at start. Nothing else changes state, so a
 * restart rebuilds exactly what was acknowledged.
 *
 * <p>Threads: every public method may be called from any thread; the work is queued on the controller's thread.
 */
public final class MetadataController implements AutoCloseable {

    /**
     * Defaults and limits the controller applies.
     *
     * @param defaultPartitions partitions of a topic created with -1
     * @param defaultReplicationFactor replicas of a topic created with -1
     * @param deleteTopicEnable whether topics may be deleted
     * @param partitionsPerTopicMax the most partitions one topic may have
     * @param partitionsMax the most partitions the cluster may have in all
     */
    public record Settings(
            int defaultPartitions,
            short defaultReplicationFactor,
            boolean deleteTopicEnable,
            int partitionsPerTopicMax,
            int partitionsMax) {}

    /** A topic to create. -1 for partitions or replication factor means the default. */
    public record NewTopic(
            String name,
            int numPartitions,
            short replicationFactor,
            Map<Integer, List<Integer>> assignments,
            Map<String, String> configs) {}

    /** The outcome for one topic; {@code error} is null on success. */
    public record TopicResult(
            String name,
            TopicId topicId,
            int numPartitions,
            int replicationFactor,
            MetadataError error,
            String message) {

        static TopicResult failed(String name, MetadataError error, String message) {
            return new TopicResult(name, TopicId.ZERO, -1, -1, error, message);
        }

        public boolean isSuccess() {
            return error == null;
        }
    }

    /** A topic to delete, by name or by id (the other is null). */
    public record TopicRef(String name, TopicId id) {}

    /** Grow a topic to {@code totalCount} partitions. */
    public record NewPartitions(String topic, int totalCount, List<List<Integer>> assignments) {}

    /** A change to the settings of one topic or broker ("" for the cluster-wide broker default). */
    public record ConfigUpdate(ConfigRecord.ResourceType type, String name, ConfigPlan plan) {}

    /**
     * Computes a resource's settings after a change. It runs on the controller thread against the image the change
     * applies to, so a change that starts from the current settings (appending to a list) cannot lose another one.
     */
    @FunctionalInterface
    public interface ConfigPlan {
        /**
         * @param current the resource's explicit settings now
         * @return its explicit settings after the change; a key absent or mapped to null is removed
         * @throws MetadataException to refuse the change
         */
        Map<String, String> apply(MetadataImage image, Map<String, String> current);
    }

    /** The outcome of a change to one resource; {@code error} is null on success. */
    public record ChangeResult(MetadataError error, String message) {

        static final ChangeResult OK = new ChangeResult(null, null);

        public boolean isSuccess() {
            return error == null;
        }
    }

    private final MetadataLog log;
    private final Settings settings;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(r -> daemon(r, "wharf-metadata-controller"));
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    private MetadataController(MetadataLog log, Settings settings) {
        this.log = log;
        this.settings = settings;
    }

    /** Replays the whole log into the first image and starts taking changes. */
    public static MetadataController start(MetadataLog log, Settings settings) throws IOException {
        MetadataController controller = new MetadataController(log, settings);
        MetadataImage[] replayed = {MetadataImage.EMPTY};
        log.replay((records, lastOffset) -> replayed[0] = replayed[0].apply(records, lastOffset));
        controller.image = replayed[0];
        return controller;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The newest image. */
    public MetadataImage image() {
        return image;
    }

    /** Adds a listener and tells it the current image at once (as a change from the empty image). */
    public CompletableFuture<Void> addListener(MetadataListener listener) {
        return CompletableFuture.runAsync(
                () -> {
                    listeners.add(listener);
                    listener.onImage(MetadataImage.EMPTY, image);
                },
                thread);
    }

    /** Runs {@code compute} on the controller thread, then appends and applies the records it returned. */
    private <T> CompletableFuture<T> write(Function<MetadataImage, Change<T>> compute) {
        return CompletableFuture.supplyAsync(
                () -> {
                    Change<T> change = compute.apply(image);
                    if (!change.records().isEmpty()) {
                        long lastOffset = log.append(change.records()).join();
                        MetadataImage previous = image;
                        image = previous.apply(change.records(), lastOffset);
                        for (MetadataListener listener : listeners) {
                            listener.onImage(previous, image);
                        }
                    }
                    return change.result();
                },
                thread);
    }

    /** The records a change writes and the answer it gives once they are applied. */
    private record Change<T>(List<MetadataRecord> records, T result) {}

    /** Creates topics; with {@code validateOnly} only checks them. Each topic succeeds or fails on its own. */
    public CompletableFuture<List<TopicResult>> createTopics(List<NewTopic> topics, boolean validateOnly) {
        return write(current -> {
            List<MetadataRecord> records = new ArrayList<>();
            List<TopicResult> results = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            current.topics().keySet().forEach(name -> taken.add(TopicNames.collisionKey(name)));
            int[] partitionsLeft = {settings.partitionsMax() - totalPartitions(current)};
            for (NewTopic topic : topics) {
                TopicResult result = planTopic(current, topic, taken, records, partitionsLeft);
                results.add(result);
                if (result.isSuccess()) {
                    taken.add(TopicNames.collisionKey(topic.name()));
                }
            }
            return new Change<>(validateOnly ? List.of() : records, results);
        });
    }

    private static int totalPartitions(MetadataImage image) {
        return image.topics().values().stream()
                .mapToInt(TopicImage::partitionCount)
                .sum();
    }

    /** Why {@code added} more partitions (making {@code topicTotal} in the topic) exceed a limit, or null. */
    private String partitionLimitProblem(int topicTotal, int added, int partitionsLeft) {
        if (topicTotal > settings.partitionsPerTopicMax()) {
            return "A topic may have at most " + settings.partitionsPerTopicMax()
                    + " partitions (wharf.partitions.per.topic.max), not " + topicTotal + ".";
        }
        if (added > partitionsLeft) {
            return "The cluster may have at most " + settings.partitionsMax()
                    + " partitions in all (wharf.partitions.max); only " + Math.max(0, partitionsLeft)
                    + " more fit.";
        }
        return null;
    }

    private TopicResult planTopic(
            MetadataImage current,
            NewTopic topic,
            Set<String> taken,
            List<MetadataRecord> records,
            int[] partitionsLeft) {
        String problem = TopicNames.problem(topic.name());
        if (problem != null) {
            return TopicResult.failed(topic.name(), MetadataError.INVALID_TOPIC_EXCEPTION, problem);
        }
        if (current.topic(topic.name()).isPresent()) {
            return TopicResult.failed(
                    topic.name(), MetadataError.TOPIC_ALREADY_EXISTS, "Topic '" + topic.name() + "' already exists.");
        }
        if (taken.contains(TopicNames.collisionKey(topic.name()))) {
            return TopicResult.failed(
                    topic.name(),
                    MetadataError.INVALID_TOPIC_EXCEPTION,
                    "Topic '" + topic.name() + "' collides with an existing topic (names that differ only in '.' and"
                            + " '_' cannot both exist).");
        }
        List<List<Integer>> replicas;
        if (topic.assignments() != null && !topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
                return TopicResult.failed(
                        topic.name(),
                        MetadataError.INVALID_REQUEST,
                        "Both partition count and replica assignments were given; give one or the other.");
            }
            int assignedCount = topic.assignments().size();
            String tooMany = partitionLimitProblem(assignedCount, assignedCount, partitionsLeft[0]);
            if (tooMany != null) {
                return TopicResult.failed(topic.name(), MetadataError.INVALID_PARTITIONS, tooMany);
            }
            replicas = new ArrayList<>();
            for (int partition = 0; partition < topic.assignments().size(); partition++) {
                List<Integer> assigned = topic.assignments().get(partition);
                if (assigned == null) {
                    return TopicResult.failed(
                            topic.name(),
                            MetadataError.INVALID_REPLICA_ASSIGNMENT,
                            "Replica assignments must name partitions 0 to "
                                    + (topic.assignments().size() - 1));
                }
                String invalid = checkAssignment(current, assigned);
                if (invalid != null) {
                    return TopicResult.failed(topic.name(), MetadataError.INVALID_REPLICA_ASSIGNMENT, invalid);
                }
                replicas.add(assigned);
            }
        } else {
            int partitions = topic.numPartitions() == -1 ? settings.defaultPartitions() : topic.numPartitions();
            int factor =
                    topic.replicationFactor() == -1 ? settings.defaultReplicationFactor() : topic.replicationFactor();
            if (partitions <= 0) {
                return TopicResult.failed(
                        topic.name(),
                        MetadataError.INVALID_PARTITIONS,
                        "Number of partitions was set to an invalid non-positive value.");
            }
            if (factor <= 0) {
                return TopicResult.failed(
                        topic.name(),
                        MetadataError.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0.");
            }
            String tooMany = partitionLimitProblem(partitions, partitions, partitionsLeft[0]);
            if (tooMany != null) {
                return TopicResult.failed(topic.name(), MetadataError.INVALID_PARTITIONS, tooMany);
            }
            if (factor > current.brokers().size()) {
                return TopicResult.failed(
                        topic.name(),
                        MetadataError.INVALID_REPLICATION_FACTOR,
                        "Unable to replicate the partition " + factor + " time(s): The target replication factor of "
                                + factor + " cannot be reached because only "
                                + current.brokers().size()
                                + " broker(s) are registered.");
            }
            replicas = place(current, partitions, factor, topic.name().hashCode());
        }
        TopicId id = TopicId.random();
        partitionsLeft[0] -= replicas.size();
        records.add(new TopicRecord(topic.name(), id));
        for (int partition = 0; partition < replicas.size(); partition++) {
            List<Integer> assigned = replicas.get(partition);
            records.add(new PartitionRecord(id, partition, assigned, assigned, assigned.get(0), 0, 0));
        }
        if (topic.configs() != null) {
            topic.configs()
                    .forEach((key, value) ->
                            records.add(new ConfigRecord(ConfigRecord.ResourceType.TOPIC, topic.name(), key, value)));
        }
        return new TopicResult(
                topic.name(), id, replicas.size(), replicas.get(0).size(), null, null);
    }

    private static String checkAssignment(MetadataImage current, List<Integer> assigned) {
        if (assigned.isEmpty()) {
            return "A partition needs at least one replica";
        }
        if (new HashSet<>(assigned).size() != assigned.size()) {
            return "Duplicate brokers in replica assignment " + assigned;
        }
        for (int broker : assigned) {
            if (!current.brokers().containsKey(broker)) {
                return "Broker " + broker + " in replica assignment " + assigned + " is not registered";
            }
        }
        return null;
    }

    /** Spreads replicas over the registered brokers round-robin, starting at a place chosen by {@code seed}. */
    private static List<List<Integer>> place(MetadataImage current, int partitions, int factor, int seed) {
        List<Integer> brokers = current.brokers().keySet().stream().sorted().toList();
        int start = Math.floorMod(seed, brokers.size());
        List<List<Integer>> replicas = new ArrayList<>(partitions);
        for (int partition = 0; partition < partitions; partition++) {
            List<Integer> assigned = new ArrayList<>(factor);
            for (int i = 0; i < factor; i++) {
                assigned.add(brokers.get((start + partition + i) % brokers.size()));
            }
            replicas.add(assigned);
        }
        return replicas;
    }

    /** Deletes topics by name or id. */
    public CompletableFuture<List<TopicResult>> deleteTopics(List<TopicRef> topics) {
        return write(current -> {
            List<MetadataRecord> records = new ArrayList<>();
            List<TopicResult> results = new ArrayList<>();
            Set<TopicId> removed = new HashSet<>();
            for (TopicRef ref : topics) {
                TopicImage topic = ref.id() != null
                        ? current.topic(ref.id()).orElse(null)
                        : current.topic(ref.name()).orElse(null);
                if (topic == null) {
                    results.add(
                            ref.id() != null
                                    ? new TopicResult(
                                            null,
                                            ref.id(),
                                            -1,
                                            -1,
                                            MetadataError.UNKNOWN_TOPIC_ID,
                                            "Topic id " + ref.id() + " does not exist.")
                                    : TopicResult.failed(
                                            ref.name(),
                                            MetadataError.UNKNOWN_TOPIC_OR_PARTITION,
                                            "Topic '" + ref.name() + "' does not exist."));
                } else if (!settings.deleteTopicEnable()) {
                    results.add(TopicResult.failed(
                            topic.name(),
                            MetadataError.TOPIC_DELETION_DISABLED,
                            "Topic deletion is disabled (delete.topic.enable=false)."));
                } else {
                    if (removed.add(topic.id())) {
                        records.add(new RemoveTopicRecord(topic.id()));
                    }
                    results.add(new TopicResult(topic.name(), topic.id(), topic.partitionCount(), -1, null, null));
                }
            }
            return new Change<>(records, results);
        });
    }

    /** Adds partitions to topics; with {@code validateOnly} only checks. */
    public CompletableFuture<List<TopicResult>> createPartitions(List<NewPartitions> requests, boolean validateOnly) {
        return write(current -> {
            List<MetadataRecord> records = new ArrayList<>();
            List<TopicResult> results = new ArrayList<>();
            int[] partitionsLeft = {settings.partitionsMax() - totalPartitions(current)};
            for (NewPartitions request : requests) {
                results.add(planPartitions(current, request, records, partitionsLeft));
            }
            return new Change<>(validateOnly ? List.of() : records, results);
        });
    }

    private TopicResult planPartitions(
            MetadataImage current, NewPartitions request, List<MetadataRecord> records, int[] partitionsLeft) {
        TopicImage topic = current.topic(request.topic()).orElse(null);
        if (topic == null) {
            return TopicResult.failed(
                    request.topic(),
                    MetadataError.UNKNOWN_TOPIC_OR_PARTITION,
                    "Topic '" + request.topic() + "' does not exist.");
        }
        int existing = topic.partitionCount();
        if (request.totalCount() == existing) {
            return TopicResult.failed(
                    request.topic(),
                    MetadataError.INVALID_PARTITIONS,
                    "Topic already has " + existing + " partition(s).");
        }
        if (request.totalCount() < existing) {
            return TopicResult.failed(
                    request.topic(),
                    MetadataError.INVALID_PARTITIONS,
                    "Topic currently has " + existing + " partitions, which is higher than the requested "
                            + request.totalCount() + ".");
        }
        int added = request.totalCount() - existing;
        String tooMany = partitionLimitProblem(request.totalCount(), added, partitionsLeft[0]);
        if (tooMany != null) {
            return TopicResult.failed(request.topic(), MetadataError.INVALID_PARTITIONS, tooMany);
        }
        partitionsLeft[0] -= added;
        int factor = topic.partitions().get(0).replicas().size();
        List<List<Integer>> replicas;
        if (request.assignments() != null) {
            if (request.assignments().size() != added) {
                return TopicResult.failed(
                        request.topic(),
                        MetadataError.INVALID_REPLICA_ASSIGNMENT,
                        "Increasing the number of partitions by " + added + " but "
                                + request.assignments().size() + " assignments provided.");
            }
            for (List<Integer> assigned : request.assignments()) {
                String invalid = checkAssignment(current, assigned);
                if (invalid == null && assigned.size() != factor) {
                    invalid = "The replica assignment " + assigned + " has " + assigned.size()
                            + " replica(s), but the topic's partitions have " + factor + ".";
                }
                if (invalid != null) {
                    return TopicResult.failed(request.topic(), MetadataError.INVALID_REPLICA_ASSIGNMENT, invalid);
                }
            }
            replicas = request.assignments();
        } else {
            replicas = place(current, added, factor, request.topic().hashCode() + existing);
        }
        for (int i = 0; i < added; i++) {
            List<Integer> assigned = replicas.get(i);
            records.add(new PartitionRecord(topic.id(), existing + i, assigned, assigned, assigned.get(0), 0, 0));
        }
        return new TopicResult(topic.name(), topic.id(), request.totalCount(), factor, null, null);
    }

    /**
     * Changes the settings of topics and brokers; with {@code validateOnly} only checks. Each resource succeeds or
     * fails on its own. A topic must exist when its plan runs, so no setting outlives a topic deleted meanwhile and
     * then passes to a new topic of the same name.
     */
    public CompletableFuture<List<ChangeResult>> alterConfigs(List<ConfigUpdate> updates, boolean validateOnly) {
        return write(current -> {
            List<MetadataRecord> records = new ArrayList<>();
            List<ChangeResult> results = new ArrayList<>();
            for (ConfigUpdate update : updates) {
                results.add(planConfigs(current, update, records));
            }
            return new Change<>(validateOnly ? List.of() : records, results);
        });
    }

    private static ChangeResult planConfigs(MetadataImage current, ConfigUpdate update, List<MetadataRecord> records) {
        if (update.type() == ConfigRecord.ResourceType.TOPIC
                && current.topic(update.name()).isEmpty()) {
            return new ChangeResult(
                    MetadataError.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + update.name() + "' does not exist.");
        }
        Map<String, String> before = current.configs(update.type(), update.name());
        Map<String, String> after;
        try {
            after = update.plan().apply(current, before);
        } catch (MetadataException e) {
            return new ChangeResult(e.error(), e.getMessage());
        }
        for (Map.Entry<String, String> entry : after.entrySet()) {
            if (entry.getValue() != null && !entry.getValue().equals(before.get(entry.getKey()))) {
                records.add(new ConfigRecord(update.type(), update.name(), entry.getKey(), entry.getValue()));
            }
        }
        for (String key : before.keySet()) {
            if (after.get(key) == null) {
                records.add(new ConfigRecord(update.type(), update.name(), key, null));
            }
        }
        return ChangeResult.OK;
    }

    /**
     * Hands broker {@code brokerId} a block of {@code count} producer ids, unique cluster-wide and across restarts.
     *
     * @return the first id of the block
     */
    public CompletableFuture<Long> allocateProducerIds(int brokerId, int count) {
        return write(current -> {
            long first = current.nextProducerId();
            return new Change<>(List.of(new ProducerIdsRecord(brokerId, first + count)), first);
        });
    }

    /** Records a broker's addresses, unless the image already has exactly these. */
    public CompletableFuture<Void> registerBroker(BrokerRecord broker) {
        return write(current -> {
            var known = current.brokers().get(broker.brokerId());
            boolean same = known != null
                    && known.endpoints().equals(broker.endpoints())
                    && java.util.Objects.equals(known.rack(), broker.rack());
            return new Change<>(same ? List.<MetadataRecord>of() : List.of(broker), null);
        });
    }

    @Override
    public void close() throws IOException {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
