package io.wharf.server.config;

import io.wharf.common.config.ConfigException;
import io.wharf.common.config.ConfigKey;
import java.util.Map;
import java.util.Optional;

/** Checks topic settings sent by clients against the topic keys: unknown keys and bad values are INVALID_CONFIG. */
public final class TopicConfigValidation {

    private TopicConfigValidation() {}

    /** Why {@code settings} cannot be applied to a topic, or empty when they can. Null values mean "remove". */
    public static Optional<String> problem(Map<String, String> settings) {
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            Optional<ConfigKey<?>> key = TopicConfigs.DEFINITIONS.key(entry.getKey());
            if (key.isEmpty()) {
                return Optional.of("Unknown topic config name: " + entry.getKey());
            }
            if (entry.getValue() == null) {
                continue;
            }
            try {
                key.get().parse(entry.getValue());
            } catch (ConfigException e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }
}
