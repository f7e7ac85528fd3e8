package io.wharf.server.handler;

import io.wharf.common.config.ConfigException;
import io.wharf.common.config.ConfigKey;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.GroupConfigs;
import io.wharf.server.config.TopicConfigs;
import java.util.Collections;
import java.util.Optional;

/**
 * Which settings clients may change while the broker runs, and the checks on the values they give. Every topic and
 * group key may change. Of the broker keys only the broker-wide topic defaults may ({@code log.retention.ms}, …): the
 * rest are read once at start, so changing them at run time would be a lie. An unknown key or a bad value (for a
 * group, also one outside the broker's bounds) is INVALID_CONFIG; a broker key that only {@code server.properties}
 * can set is INVALID_REQUEST.
 */
final class DynamicConfigRules {

    private DynamicConfigRules() {}

    /**
     * The key named {@code name} at {@code target}.
     *
     * @throws MetadataException when there is no such key or a client may not change it
     */
    static ConfigKey<?> key(ConfigTarget target, String name) {
        if (target.isTopic()) {
            return TopicConfigs.DEFINITIONS
                    .key(name)
                    .orElseThrow(() ->
                            new MetadataException(MetadataError.INVALID_CONFIG, "Unknown topic config name: " + name));
        }
        if (target.isGroup()) {
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
     * Checks a value for {@code key} at {@code target}.
     *
     * @throws MetadataException when the value does not parse or is out of range
     */
    static void checkValue(ConfigTarget target, ConfigKey<?> key, String value, BrokerConfig broker) {
        if (target.isGroup()) {
            String problem = GroupConfigs.problem(key, value, broker);
            if (problem != null) {
                throw new MetadataException(MetadataError.INVALID_CONFIG, problem);
            }
            return;
        }
        if (target.isTopic()) {
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
