package io.wharf.server.config;

import io.wharf.common.config.ConfigException;
import io.wharf.common.config.ConfigKey;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.metadata.record.ConfigRecord;
import java.util.Collections;
import java.util.Optional;

/**
 * Which settings clients may change while the broker runs, and the checks on the values they give. Every topic and
 * group key may change. Of the broker keys only the broker-wide topic defaults may ({@code log.retention.ms}, …): the
 * rest are read once at start, so changing them at run time would be a lie. An unknown key or a bad value (for a
 * group, also one outside the broker's bounds) is INVALID_CONFIG; a broker key that only {@code server.properties}
 * can set is INVALID_REQUEST.
 */
public final class DynamicConfigs {

    private DynamicConfigs() {}

    /**
     * The key named {@code name} of a resource of {@code type}.
     *
     * @throws MetadataException when there is no such key or a client may not change it
     */
    public static ConfigKey<?> key(ConfigRecord.ResourceType type, String name) {
        if (type == ConfigRecord.ResourceType.TOPIC) {
            return TopicConfigs.DEFINITIONS
                    .key(name)
                    .orElseThrow(() ->
                            new MetadataException(MetadataError.INVALID_CONFIG, "Unknown topic config name: " + name));
        }
        if (type == ConfigRecord.ResourceType.GROUP) {
            return GroupConfigs.DEFINITIONS
                    .key(name)
                    .orElseThrow(() ->
                            new MetadataException(MetadataError.INVALID_CONFIG, "Unknown group config name: " + name));
        }
        Optional<ConfigKey<?>> key = BrokerConfig.DEFINITIONS.key(name);
        if (key.isEmpty()) {
            throw new MetadataException(MetadataError.INVALID_CONFIG, "Unknown broker config name: " + name);
        }
        if (!BrokerConfig.isDynamic(name)) {
            throw new MetadataException(
                    MetadataError.INVALID_REQUEST,
                    name + " cannot be updated dynamically; set it in server.properties");
        }
        return key.get();
    }

    /**
     * Checks a value for the key named {@code keyName} of a resource of {@code type}.
     *
     * @throws MetadataException when there is no such key, a client may not change it, or the value is bad
     */
    public static void checkValue(
            ConfigRecord.ResourceType type, String resourceName, String keyName, String value, BrokerConfig broker) {
        checkValue(type, key(type, keyName), value, broker);
    }

    /**
     * Checks a value for {@code key} at a resource of {@code type}.
     *
     * @throws MetadataException when the value does not parse or is out of range
     */
    public static void checkValue(ConfigRecord.ResourceType type, ConfigKey<?> key, String value, BrokerConfig broker) {
        if (type == ConfigRecord.ResourceType.GROUP) {
            String problem = GroupConfigs.problem(key, value, broker);
            if (problem != null) {
                throw new MetadataException(MetadataError.INVALID_CONFIG, problem);
            }
            return;
        }
        if (type == ConfigRecord.ResourceType.TOPIC) {
            Optional<String> problem = TopicConfigValidation.problem(Collections.singletonMap(key.name(), value));
            if (problem.isPresent()) {
                throw new MetadataException(MetadataError.INVALID_CONFIG, problem.get());
            }
            return;
        }
        try {
            key.parse(value);
        } catch (ConfigException e) {
            throw new MetadataException(MetadataError.INVALID_CONFIG, e.getMessage());
        }
    }
}
