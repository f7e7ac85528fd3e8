package io.wharf.metadata.image;

import io.wharf.common.TopicId;
import io.wharf.metadata.record.BrokerRecord;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.ProducerIdsRecord;
import io.wharf.metadata.record.RemoveTopicRecord;
import io.wharf.metadata.record.TopicRecord;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the metadata log says, as of {@link #offset()}: topics by name and id, configs by resource, brokers, and
 * the next free producer id. Immutable; {@link #apply(List, long)} makes the next image.
 */
public final class MetadataImage {

    public static final MetadataImage EMPTY = new MetadataImage(-1, Map.of(), Map.of(), Map.of(), Map.of(), 0);

    /** A config resource: its type and name (a topic name, a broker id, or "" for the cluster default). */
    public record ConfigResource(ConfigRecord.ResourceType type, String name) {}

    private final long offset;
    private final Map<String, TopicImage> topicsByName;
    private final Map<TopicId, TopicImage> topicsById;
    private final Map<ConfigResource, Map<String, String>> configs;
    private final Map<Integer, BrokerImage> brokers;
    private final long nextProducerId;

    private MetadataImage(
            long offset,
            Map<String, TopicImage> topicsByName,
            Map<TopicId, TopicImage> topicsById,
            Map<ConfigResource, Map<String, String>> configs,
            Map<Integer, BrokerImage> brokers,
            long nextProducerId) {
        this.offset = offset;
        this.topicsByName = topicsByName;
        this.topicsById = topicsById;
        this.configs = configs;
        this.brokers = brokers;
        this.nextProducerId = nextProducerId;
    }

    /** The offset of the last record applied; -1 for the empty image. */
    public long offset() {
        return offset;
    }

    public Map<String, TopicImage> topics() {
        return topicsByName;
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicImage> topic(TopicId id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    /** The explicitly set configs of a resource; empty when none are. */
    public Map<String, String> configs(ConfigRecord.ResourceType type, String name) {
        return configs.getOrDefault(new ConfigResource(type, name), Map.of());
    }

    public Map<Integer, BrokerImage> brokers() {
        return brokers;
    }

    /** The first producer id no broker has been given. */
    public long nextProducerId() {
        return nextProducerId;
    }

    /** The image after {@code records}, the last of which has offset {@code lastOffset}. */
    public MetadataImage apply(List<MetadataRecord> records, long lastOffset) {
        Map<String, TopicImage> byName = new HashMap<>(topicsByName);
        Map<TopicId, TopicImage> byId = new HashMap<>(topicsById);
        Map<ConfigResource, Map<String, String>> newConfigs = new HashMap<>(configs);
        Map<Integer, BrokerImage> newBrokers = new HashMap<>(brokers);
        long producerId = nextProducerId;
        for (MetadataRecord record : records) {
            if (record instanceof TopicRecord r) {
                TopicImage topic = new TopicImage(r.name(), r.topicId(), new TreeMap<>());
                byName.put(r.name(), topic);
                byId.put(r.topicId(), topic);
            } else if (record instanceof PartitionRecord r) {
                TopicImage topic = byId.get(r.topicId());
                if (topic == null) {
                    throw new IllegalStateException("partition record for unknown topic " + r.topicId());
                }
                TopicImage updated = topic.withPartition(new PartitionImage(
                        r.partition(), r.replicas(), r.isr(), r.leader(), r.leaderEpoch(), r.partitionEpoch()));
                byName.put(updated.name(), updated);
                byId.put(updated.id(), updated);
            } else if (record instanceof RemoveTopicRecord r) {
                TopicImage removed = byId.remove(r.topicId());
                if (removed != null) {
                    byName.remove(removed.name());
                    newConfigs.remove(new ConfigResource(ConfigRecord.ResourceType.TOPIC, removed.name()));
                }
            } else if (record instanceof ConfigRecord r) {
                ConfigResource resource = new ConfigResource(r.resourceType(), r.resourceName());
                Map<String, String> values = new HashMap<>(newConfigs.getOrDefault(resource, Map.of()));
                if (r.value() == null) {
                    values.remove(r.key());
                } else {
                    values.put(r.key(), r.value());
                }
                if (values.isEmpty()) {
                    newConfigs.remove(resource);
                } else {
                    newConfigs.put(resource, Collections.unmodifiableMap(values));
                }
            } else if (record instanceof ProducerIdsRecord r) {
                producerId = Math.max(producerId, r.nextProducerId());
            } else if (record instanceof BrokerRecord r) {
                newBrokers.put(r.brokerId(), new BrokerImage(r.brokerId(), r.endpoints(), r.rack()));
            }
        }
        return new MetadataImage(
                lastOffset,
                Collections.unmodifiableMap(byName),
                Collections.unmodifiableMap(byId),
                Collections.unmodifiableMap(newConfigs),
                Collections.unmodifiableMap(newBrokers),
                producerId);
    }
}
