package io.wharf.metadata.controller;

import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.TopicNames;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.RemoveTopicRecord;
import io.wharf.metadata.record.TopicRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What creating topics and partitions and deleting topics write. Pure: reads the image, returns records and answers.
 *
 * <p>New replicas go on active brokers only ({@link ReplicaPlacement}); a caller's own assignment may name any
 * registered broker, and a new partition's ISR is its replicas that are active, its leader the first of them. A
 * partition whose replicas are all fenced is refused rather than created leaderless.
 */
final class TopicPlanner {

    private final ControllerSettings settings;
    private final Supplier<TopicId> topicIds;

    TopicPlanner(ControllerSettings settings, Supplier<TopicId> topicIds) {
        this.settings = settings;
        this.topicIds = topicIds;
    }

    Change<List<TopicResult>> createTopics(MetadataImage current, List<NewTopic> topics, boolean validateOnly) {
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
            MetadataImage current, NewTopic topic, Set<String> taken, List<MetadataRecord> records, int[] left) {
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
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
                return TopicResult.failed(
                        topic.name(),
                        MetadataError.INVALID_REQUEST,
                        "Both partition count and replica assignments were given; give one or the other.");
            }
            int assignedCount = topic.assignments().size();
            String tooMany = partitionLimitProblem(assignedCount, assignedCount, left[0]);
            if (tooMany != null) {
                return TopicResult.failed(topic.name(), MetadataError.INVALID_PARTITIONS, tooMany);
            }
            replicas = new ArrayList<>();
            for (int partition = 0; partition < assignedCount; partition++) {
                List<Integer> assigned = topic.assignments().get(partition);
                if (assigned == null) {
                    return TopicResult.failed(
                            topic.name(),
                            MetadataError.INVALID_REPLICA_ASSIGNMENT,
                            "Replica assignments must name partitions 0 to " + (assignedCount - 1));
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
            String tooMany = partitionLimitProblem(partitions, partitions, left[0]);
            if (tooMany != null) {
                return TopicResult.failed(topic.name(), MetadataError.INVALID_PARTITIONS, tooMany);
            }
            Map<Integer, String> racks = racksOfActive(current);
            if (factor > racks.size()) {
                return TopicResult.failed(
                        topic.name(),
                        MetadataError.INVALID_REPLICATION_FACTOR,
                        "Unable to replicate the partition " + factor + " time(s): The target replication factor of "
                                + factor + " cannot be reached because only " + racks.size()
                                + " broker(s) are registered.");
            }
            replicas = ReplicaPlacement.place(
                    racks, partitions, factor, topic.name().hashCode());
        }
        List<PartitionRecord> partitionRecords = new ArrayList<>();
        TopicId id = topicIds.get();
        for (int partition = 0; partition < replicas.size(); partition++) {
            List<Integer> assigned = replicas.get(partition);
            List<Integer> isr = assigned.stream().filter(current::isActive).toList();
            if (isr.isEmpty()) {
                return TopicResult.failed(
                        topic.name(),
                        MetadataError.INVALID_REPLICA_ASSIGNMENT,
                        "Every broker in the replica assignment " + assigned + " of partition " + partition
                                + " is fenced or shutting down.");
            }
            partitionRecords.add(new PartitionRecord(id, partition, assigned, isr, isr.get(0), 0, 0));
        }
        left[0] -= replicas.size();
        records.add(new TopicRecord(topic.name(), id));
        records.addAll(partitionRecords);
        topic.configs()
                .forEach((key, value) ->
                        records.add(new ConfigRecord(ConfigRecord.ResourceType.TOPIC, topic.name(), key, value)));
        return new TopicResult(
                topic.name(), id, replicas.size(), replicas.get(0).size(), null, null);
    }

    /** The active brokers and their racks, in id order. */
    static Map<Integer, String> racksOfActive(MetadataImage image) {
        Map<Integer, String> racks = new LinkedHashMap<>();
        for (BrokerImage broker : image.activeBrokers().values()) {
            racks.put(broker.brokerId(), broker.rack());
        }
        return racks;
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

    Change<List<TopicResult>> deleteTopics(MetadataImage current, List<TopicRef> topics) {
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
    }

    Change<List<TopicResult>> createPartitions(
            MetadataImage current, List<NewPartitions> requests, boolean validateOnly) {
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicResult> results = new ArrayList<>();
        int[] partitionsLeft = {settings.partitionsMax() - totalPartitions(current)};
        for (NewPartitions request : requests) {
            results.add(planPartitions(current, request, records, partitionsLeft));
        }
        return new Change<>(validateOnly ? List.of() : records, results);
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
        int factor = topic.partitions().get(0).targetReplicas().size();
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
            Map<Integer, String> racks = racksOfActive(current);
            if (factor > racks.size()) {
                return TopicResult.failed(
                        request.topic(),
                        MetadataError.INVALID_REPLICATION_FACTOR,
                        "Unable to replicate the new partitions " + factor + " time(s): only " + racks.size()
                                + " broker(s) are active.");
            }
            replicas =
                    ReplicaPlacement.place(racks, added, factor, request.topic().hashCode() + existing);
        }
        List<PartitionRecord> partitionRecords = new ArrayList<>();
        for (int i = 0; i < added; i++) {
            List<Integer> assigned = replicas.get(i);
            List<Integer> isr = assigned.stream().filter(current::isActive).toList();
            if (isr.isEmpty()) {
                return TopicResult.failed(
                        request.topic(),
                        MetadataError.INVALID_REPLICA_ASSIGNMENT,
                        "Every broker in the replica assignment " + assigned + " is fenced or shutting down.");
            }
            partitionRecords.add(new PartitionRecord(topic.id(), existing + i, assigned, isr, isr.get(0), 0, 0));
        }
        partitionsLeft[0] -= added;
        records.addAll(partitionRecords);
        return new TopicResult(topic.name(), topic.id(), request.totalCount(), factor, null, null);
    }
}
