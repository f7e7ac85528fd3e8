package io.wharf.common.config;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A named set of configuration keys, looked up by name, in declaration order. */
public final class ConfigDefinitions implements Iterable<ConfigKey<?>> {

    private final Map<String, ConfigKey<?>> keys;

    private ConfigDefinitions(Map<String, ConfigKey<?>> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    public static ConfigDefinitions of(Collection<? extends ConfigKey<?>> keys) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (byName.put(key.name(), key) != null) {
                throw new IllegalArgumentException("configuration key declared twice: " + key.name());
            }
        }
        return new ConfigDefinitions(byName);
    }

    public Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    public boolean contains(String name) {
        return keys.containsKey(name);
    }

    public int size() {
        return keys.size();
    }

    @Override
    public Iterator<ConfigKey<?>> iterator() {
        return keys.values().iterator();
    }

    /**
     * Parses text values into typed ones.
     *
     * @throws ConfigException for an unknown key or a value that does not parse or is out of range
     */
    public Map<String, Object> parse(Map<String, String> text) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : text.entrySet()) {
            ConfigKey<?> key = keys.get(entry.getKey());
            if (key == null) {
                throw new ConfigException(entry.getKey(), "Unknown configuration " + entry.getKey());
            }
            values.put(key.name(), key.parse(entry.getValue()));
        }
        return values;
    }
}
