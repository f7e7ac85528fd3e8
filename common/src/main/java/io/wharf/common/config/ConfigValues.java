package io.wharf.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed values for a set of keys: the explicitly set ones, with every other key at its default. Immutable; a change
 * makes a new instance with {@link #with(Map)}.
 */
public final class ConfigValues {

    private final Map<String, Object> explicit;

    private ConfigValues(Map<String, Object> explicit) {
        this.explicit = Collections.unmodifiableMap(explicit);
    }

    public static ConfigValues empty() {
        return new ConfigValues(Map.of());
    }

    /** Values already parsed and checked (for example by {@link ConfigDefinitions#parse(Map)}). */
    public static ConfigValues of(Map<String, Object> parsed) {
        return new ConfigValues(new LinkedHashMap<>(parsed));
    }

    /** The value of {@code key}: the explicit one when set, else its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Object value = explicit.get(key.name());
        return value != null ? (T) value : key.defaultValue();
    }

    /** Whether {@code key} was set explicitly rather than left at its default. */
    public boolean isSet(ConfigKey<?> key) {
        return explicit.containsKey(key.name());
    }

    /** The explicitly set values, by key name. */
    public Map<String, Object> explicit() {
        return explicit;
    }

    /** A copy with {@code changes} applied over these values. */
    public ConfigValues with(Map<String, Object> changes) {
        Map<String, Object> merged = new LinkedHashMap<>(explicit);
        merged.putAll(changes);
        return new ConfigValues(merged);
    }
}
