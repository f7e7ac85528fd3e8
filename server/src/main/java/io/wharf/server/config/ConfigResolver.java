package io.wharf.server.config;

import io.wharf.common.config.ConfigKey;
import io.wharf.common.config.ConfigValues;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.storage.LogConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves config values through their layers, highest first:
 *
 * <pre>
 * topic key   topic's own setting (metadata)                      DYNAMIC_TOPIC_CONFIG
 *             for each broker synonym, highest priority first:
 *               this broker's dynamic setting (metadata)          DYNAMIC_BROKER_CONFIG
 *               the cluster-wide dynamic default (metadata)       DYNAMIC_DEFAULT_BROKER_CONFIG
 *               server.properties / --override                    STATIC_BROKER_CONFIG
 *             the lowest synonym's default, else the key's        DEFAULT_CONFIG
 * </pre>
 *
 * <p>Immutable: made for one metadata image and one static config.
 */
public final class ConfigResolver {

    /** One value with where it came from. */
    public record Synonym(String name, String value, ConfigSource source) {}

    /** A resolved key: its value, source, and every layer that sets it (for DescribeConfigs' synonyms). */
    public record Resolved(ConfigKey<?> key, String value, ConfigSource source, List<Synonym> synonyms) {}

    private final BrokerConfig staticConfig;
    private final MetadataImage image;
    private final String nodeName;

    public ConfigResolver(BrokerConfig staticConfig, MetadataImage image) {
        this.staticConfig = staticConfig;
        this.image = image;
        this.nodeName = String.valueOf(staticConfig.nodeId());
    }

    /** Every layer that sets a broker key, highest first. */
    private List<Synonym> brokerLayers(ConfigKey<?> key) {
        List<Synonym> layers = new ArrayList<>(3);
        String perNode =
                image.configs(ConfigRecord.ResourceType.BROKER, nodeName).get(key.name());
        if (perNode != null) {
            layers.add(new Synonym(key.name(), perNode, ConfigSource.DYNAMIC_BROKER_CONFIG));
        }
        String clusterDefault =
                image.configs(ConfigRecord.ResourceType.BROKER, "").get(key.name());
        if (clusterDefault != null) {
            layers.add(new Synonym(key.name(), clusterDefault, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        }
        if (staticConfig.isSet(key)) {
            layers.add(new Synonym(key.name(), format(key, staticConfig.get(key)), ConfigSource.STATIC_BROKER_CONFIG));
        }
        return layers;
    }

    /** A broker key's value. */
    public Resolved broker(ConfigKey<?> key) {
        List<Synonym> layers = new ArrayList<>(brokerLayers(key));
        String defaultValue = format(key, key.defaultValue());
        layers.add(new Synonym(key.name(), defaultValue, ConfigSource.DEFAULT_CONFIG));
        Synonym winner = layers.get(0);
        return new Resolved(key, winner.value(), winner.source(), layers);
    }

    /**
     * A broker key's value for the cluster-wide default resource: every layer but this broker's own dynamic setting,
     * which the default does not see.
     */
    public Resolved clusterDefault(ConfigKey<?> key) {
        List<Synonym> layers = new ArrayList<>();
        for (Synonym layer : brokerLayers(key)) {
            if (layer.source() != ConfigSource.DYNAMIC_BROKER_CONFIG) {
                layers.add(layer);
            }
        }
        layers.add(new Synonym(key.name(), format(key, key.defaultValue()), ConfigSource.DEFAULT_CONFIG));
        Synonym winner = layers.get(0);
        return new Resolved(key, winner.value(), winner.source(), layers);
    }

    /**
     * The value {@code key} would have at a resource that does not set it itself: what the layers below give. An
     * append to a list setting the resource does not have starts from this.
     *
     * @param name a topic name, this broker's id, or "" for the cluster-wide default
     */
    public String inherited(ConfigRecord.ResourceType type, String name, ConfigKey<?> key) {
        if (type == ConfigRecord.ResourceType.TOPIC) {
            return topic(key, null).value();
        }
        if (!name.isEmpty()) {
            return clusterDefault(key).value();
        }
        return staticConfig.isSet(key) ? format(key, staticConfig.get(key)) : format(key, key.defaultValue());
    }

    /** A topic key's value for {@code topic}. */
    public Resolved topic(String topic, ConfigKey<?> key) {
        return topic(key, image.configs(ConfigRecord.ResourceType.TOPIC, topic).get(key.name()));
    }

    /** A topic key's value when the topic itself sets it to {@code own} (null: not set). */
    private Resolved topic(ConfigKey<?> key, String own) {
        List<Synonym> synonyms = new ArrayList<>();
        if (own != null) {
            synonyms.add(new Synonym(key.name(), own, ConfigSource.DYNAMIC_TOPIC_CONFIG));
        }
        String fromBroker = null;
        ConfigSource brokerSource = null;
        List<TopicConfigs.BrokerSynonym> brokerSynonyms = TopicConfigs.synonyms(key.name());
        for (TopicConfigs.BrokerSynonym synonym : brokerSynonyms) {
            for (Synonym layer : brokerLayers(synonym.brokerKey())) {
                synonyms.add(layer);
                if (fromBroker == null) {
                    fromBroker = convert(layer.value(), synonym.factor());
                    brokerSource = layer.source();
                }
            }
        }
        String defaultValue = format(key, key.defaultValue());
        if (!brokerSynonyms.isEmpty()) {
            TopicConfigs.BrokerSynonym lowest = brokerSynonyms.get(brokerSynonyms.size() - 1);
            Object lowestDefault = lowest.brokerKey().defaultValue();
            if (lowestDefault != null) {
                defaultValue = convert(format(lowest.brokerKey(), lowestDefault), lowest.factor());
            }
        }
        synonyms.add(new Synonym(key.name(), defaultValue, ConfigSource.DEFAULT_CONFIG));
        if (own != null) {
            return new Resolved(key, own, ConfigSource.DYNAMIC_TOPIC_CONFIG, synonyms);
        }
        if (fromBroker != null) {
            return new Resolved(key, fromBroker, brokerSource, synonyms);
        }
        return new Resolved(key, defaultValue, ConfigSource.DEFAULT_CONFIG, synonyms);
    }

    /** Every topic key resolved for {@code topic}, in declaration order. */
    public List<Resolved> describeTopic(String topic) {
        return describeTopic(topic, image.configs(ConfigRecord.ResourceType.TOPIC, topic));
    }

    /** Every topic key resolved as if the topic's own settings were {@code own}. */
    public List<Resolved> describeTopic(String topic, Map<String, String> own) {
        List<Resolved> resolved = new ArrayList<>();
        for (ConfigKey<?> key : TopicConfigs.DEFINITIONS) {
            resolved.add(topic(key, own.get(key.name())));
        }
        return resolved;
    }

    /** Every broker key resolved, in declaration order. */
    public List<Resolved> describeBroker() {
        List<Resolved> resolved = new ArrayList<>();
        for (ConfigKey<?> key : BrokerConfig.DEFINITIONS) {
            resolved.add(broker(key));
        }
        return resolved;
    }

    /** The storage settings of {@code topic}. */
    public LogConfig logConfig(String topic) {
        return LogConfig.from(ConfigValues.of(typedValues(topic)));
    }

    /** {@code min.insync.replicas} of {@code topic}. */
    public int minInsyncReplicas(String topic) {
        return Integer.parseInt(topic(topic, TopicConfigs.MIN_INSYNC_REPLICAS).value());
    }

    private Map<String, Object> typedValues(String topic) {
        Map<String, Object> values = new HashMap<>();
        for (io.wharf.common.config.ConfigKey<?> key : LogConfig.DEFINITIONS) {
            String value = topic(topic, key).value();
            if (value != null) {
                values.put(key.name(), key.parse(value));
            }
        }
        return values;
    }

    private static String convert(String value, long factor) {
        if (factor == 1 || value == null) {
            return value;
        }
        long number = Long.parseLong(value);
        return String.valueOf(number < 0 ? number : Math.multiplyExact(number, factor));
    }

    @SuppressWarnings("unchecked")
    private static <T> String format(ConfigKey<T> key, Object value) {
        return key.format((T) value);
    }
}
