package io.wharf.metadata.image;

import io.wharf.common.TopicId;
import io.wharf.metadata.record.BrokerRecord;
import io.wharf.metadata.record.BrokerStateRecord;
import io.wharf.metadata.record.ClusterRecord;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.ProducerIdsRecord;
import io.wharf.metadata.record.RegisterBrokerRecord;
import io.wharf.metadata.record.RemoveTopicRecord;
import io.wharf.metadata.record.TopicRecord;
import io.wharf.metadata.record.UnregisterBrokerRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the metadata log says, as of {@link #offset()}: the cluster id, topics by name and id, configs by
 * resource, registered brokers, and the next free producer id. Immutable; {@link #apply(List, long)}
 * makes the next image, and {@link #toRecords()} the records that rebuild this one (a snapshot).
 */
public final class MetadataImage {

    public static final MetadataImage EMPTY = new MetadataImage(-1, null, Map.of(), Map.of(), Map.of(), Map.of(), 0);

    /** A config resource: its type and name (a topic name, a broker id, or "" for the cluster default). */
    public record ConfigResource(ConfigRecord.ResourceType type, String name) {}

    private final long offset;
    private final String clusterId;
    private final Map<String, TopicImage> topicsByName;
    private final Map<TopicId, TopicImage> topicsById;
    private final Map<ConfigResource, Map<String, String>> configs;
    private final Map<Integer, BrokerImage> brokers;
    private final long nextProducerId;

    private MetadataImage(
            long offset,
            String clusterId,
            Map<String, TopicImage> topicsByName,
            Map<TopicId, TopicImage> topicsById,
            Map<ConfigResource, Map<String, String>> configs,
            Map<Integer, BrokerImage> brokers,
            long nextProducerId) {
        this.offset = offset;
        this.clusterId = clusterId;
        this.topicsByName = topicsByName;
        this.topicsById = topicsById;
        this.configs = configs;
        this.brokers = brokers;
        this.nextProducerId = nextProducerId;
    }

    /** The offset of the last batch applied; -1 for the empty image. */
    public long offset() {
        return offset;
    }

    /** The cluster's id, once a controller has written one. */
    public Optional<String> clusterId() {
        return Optional.ofNullable(clusterId);
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

    /** The partition {@code partition} of the topic with {@code id}, if both exist. */
    public Optional<PartitionImage> partition(TopicId id, int partition) {
        TopicImage topic = topicsById.get(id);
        return topic == null
                ? Optional.empty()
                : Optional.ofNullable(topic.partitions().get(partition));
    }

    /** The explicitly set configs of a resource; empty when none are. */
    public Map<String, String> configs(ConfigRecord.ResourceType type, String name) {
        return configs.getOrDefault(new ConfigResource(type, name), Map.of());
    }

    /** Every registered broker, by id, whatever its state. */
    public Map<Integer, BrokerImage> brokers() {
        return brokers;
    }

    public Optional<BrokerImage> broker(int brokerId) {
        return Optional.ofNullable(brokers.get(brokerId));
    }

    /** The brokers that serve: unfenced and not shutting down, by id. */
    public Map<Integer, BrokerImage> activeBrokers() {
        Map<Integer, BrokerImage> active = new TreeMap<>();
        brokers.forEach((id, broker) -> {
            if (broker.isActive()) {
                active.put(id, broker);
            }
        });
        return active;
    }

    public boolean isActive(int brokerId) {
        BrokerImage broker = brokers.get(brokerId);
        return broker != null && broker.isActive();
    }

    /** The first producer id no broker has been given. */
    public long nextProducerId() {
        return nextProducerId;
    }

    /**
     * The epoch a broker registration computed against this image gets: above every earlier one, since every batch
     * has a higher offset than the image it was computed against.
     */
    public long nextBrokerEpoch() {
        return offset + 1;
    }

    /** The image after {@code records}, the last of which is in the batch at {@code lastOffset}. */
    public MetadataImage apply(List<MetadataRecord> records, long lastOffset) {
        Builder next = new Builder(this, lastOffset);
        for (MetadataRecord record : records) {
            next.apply(record);
        }
        return next.build();
    }

    /**
     * Records that rebuild this image when applied to the empty one: {@code EMPTY.apply(toRecords(), offset())}
     * equals this image in everything but identity.
     */
    public List<MetadataRecord> toRecords() {
        List<MetadataRecord> records = new ArrayList<>();
        if (clusterId != null) {
            records.add(new ClusterRecord(clusterId));
        }
        for (BrokerImage broker : new TreeMap<>(brokers).values()) {
            records.add(new RegisterBrokerRecord(
                    broker.brokerId(), broker.incarnationId(), broker.epoch(), broker.endpoints(), broker.rack()));
            if (broker.state() == BrokerState.ACTIVE) {
                records.add(new BrokerStateRecord(broker.brokerId(), broker.epoch(), BrokerState.ACTIVE));
            } else if (broker.state() == BrokerState.SHUTTING_DOWN) {
                records.add(new BrokerStateRecord(broker.brokerId(), broker.epoch(), BrokerState.ACTIVE));
                records.add(new BrokerStateRecord(broker.brokerId(), broker.epoch(), BrokerState.SHUTTING_DOWN));
            }
        }
        for (TopicImage topic : new TreeMap<>(topicsByName).values()) {
            records.add(new TopicRecord(topic.name(), topic.id()));
            for (PartitionImage p : topic.partitions().values()) {
                records.add(new PartitionRecord(
                        topic.id(),
                        p.partition(),
                        p.replicas(),
                        p.isr(),
                        p.leader(),
                        p.leaderEpoch(),
                        p.partitionEpoch(),
                        p.addingReplicas(),
                        p.removingReplicas()));
            }
        }
        List<ConfigResource> resources = new ArrayList<>(configs.keySet());
        resources.sort(
                Comparator.comparingInt((ConfigResource r) -> r.type().code()).thenComparing(ConfigResource::name));
        for (ConfigResource resource : resources) {
            new TreeMap<>(configs.get(resource))
                    .forEach((key, value) ->
                            records.add(new ConfigRecord(resource.type(), resource.name(), key, value)));
        }
        if (nextProducerId > 0) {
            records.add(new ProducerIdsRecord(-1, nextProducerId));
        }
        return records;
    }

    /**
     * Equal images are at the same offset and rebuilt by the same records: the same state, except for the offsets at
     * which brokers changed state, which a snapshot does not keep. For tests; costs a walk of both images.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof MetadataImage o
                && offset == o.offset
                && toRecords().equals(o.toRecords());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(offset, topicsByName.keySet(), brokers.keySet());
    }

    @Override
    public String toString() {
        return "MetadataImage(offset " + offset + ", " + topicsByName.size() + " topics, " + brokers.size()
                + " brokers)";
    }

    /** Applies records one by one to copies of an image's maps. */
    private static final class Builder {
        private String clusterId;
        private final Map<String, TopicImage> byName;
        private final Map<TopicId, TopicImage> byId;
        private final Map<ConfigResource, Map<String, String>> configs;
        private final Map<Integer, BrokerImage> brokers;
        private long producerId;
        private final long offset;

        Builder(MetadataImage from, long offset) {
            this.offset = offset;
            clusterId = from.clusterId;
            byName = new HashMap<>(from.topicsByName);
            byId = new HashMap<>(from.topicsById);
            configs = new HashMap<>(from.configs);
            brokers = new HashMap<>(from.brokers);
            producerId = from.nextProducerId;
        }

        void apply(MetadataRecord record) {
            if (record instanceof TopicRecord r) {
                TopicImage topic = new TopicImage(r.name(), r.topicId(), new TreeMap<>());
                byName.put(r.name(), topic);
                byId.put(r.topicId(), topic);
            } else if (record instanceof PartitionRecord r) {
                TopicImage topic = byId.get(r.topicId());
                if (topic == null) {
                    throw new IllegalStateException("partition record for unknown topic " + r.topicId());
                }
                TopicImage updated = topic.withPartition(PartitionImage.of(r));
                byName.put(updated.name(), updated);
                byId.put(updated.id(), updated);
            } else if (record instanceof RemoveTopicRecord r) {
                TopicImage removed = byId.remove(r.topicId());
                if (removed != null) {
                    byName.remove(removed.name());
                    configs.remove(new ConfigResource(ConfigRecord.ResourceType.TOPIC, removed.name()));
                }
            } else if (record instanceof ConfigRecord r) {
                applyConfig(r);
            } else if (record instanceof ProducerIdsRecord r) {
                producerId = Math.max(producerId, r.nextProducerId());
            } else if (record instanceof BrokerRecord r) {
                brokers.put(
                        r.brokerId(),
                        new BrokerImage(
                                r.brokerId(), TopicId.ZERO, 0, r.endpoints(), r.rack(), BrokerState.ACTIVE, offset));
            } else if (record instanceof RegisterBrokerRecord r) {
                brokers.put(
                        r.brokerId(),
                        new BrokerImage(
                                r.brokerId(),
                                r.incarnationId(),
                                r.brokerEpoch(),
                                r.endpoints(),
                                r.rack(),
                                BrokerState.FENCED,
                                offset));
            } else if (record instanceof BrokerStateRecord r) {
                BrokerImage broker = brokers.get(r.brokerId());
                if (broker != null && broker.epoch() == r.brokerEpoch()) {
                    brokers.put(r.brokerId(), broker.withState(r.state(), offset));
                }
            } else if (record instanceof UnregisterBrokerRecord r) {
                BrokerImage broker = brokers.get(r.brokerId());
                if (broker != null && broker.epoch() == r.brokerEpoch()) {
                    brokers.remove(r.brokerId());
                }
            } else if (record instanceof ClusterRecord r) {
                clusterId = r.clusterId();
            }
        }

        private void applyConfig(ConfigRecord r) {
            ConfigResource resource = new ConfigResource(r.resourceType(), r.resourceName());
            Map<String, String> values = new HashMap<>(configs.getOrDefault(resource, Map.of()));
            if (r.value() == null) {
                values.remove(r.key());
            } else {
                values.put(r.key(), r.value());
            }
            if (values.isEmpty()) {
                configs.remove(resource);
            } else {
                configs.put(resource, Collections.unmodifiableMap(values));
            }
        }

        MetadataImage build() {
            return new MetadataImage(
                    offset,
                    clusterId,
                    Collections.unmodifiableMap(byName),
                    Collections.unmodifiableMap(byId),
                    Collections.unmodifiableMap(configs),
                    Collections.unmodifiableMap(brokers),
                    producerId);
        }
    }
}
