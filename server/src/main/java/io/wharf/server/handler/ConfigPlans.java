package io.wharf.server.handler;

import io.wharf.common.config.ConfigKey;
import io.wharf.common.config.ConfigType;
import io.wharf.metadata.MetadataController.ConfigPlan;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ConfigResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes AlterConfigs and IncrementalAlterConfigs make to one resource, as plans the metadata controller runs
 * against the current settings. Keys, operations and plain values are checked here, before anything is sent to the
 * controller; a list edited by APPEND or SUBTRACT is checked once its new value is known.
 */
final class ConfigPlans {

    /** IncrementalAlterConfigs' operations, in the order of their wire ids. */
    enum Operation {
        SET,
        DELETE,
        APPEND,
        SUBTRACT;

        static Operation of(byte id) {
            if (id < 0 || id >= values().length) {
                throw new MetadataException(MetadataError.INVALID_REQUEST, "Unknown config operation " + id);
            }
            return values()[id];
        }
    }

    /** One IncrementalAlterConfigs change to one key. */
    record Edit(String key, Operation operation, String value) {}

    private ConfigPlans() {}

    /**
     * AlterConfigs: {@code settings} become all the explicit settings of {@code target}; keys not listed, or listed
     * with a null value, are removed.
     *
     * @throws MetadataException for an unknown or static key, or a bad value
     */
    static ConfigPlan replace(ConfigTarget target, Map<String, String> settings, BrokerConfig staticConfig) {
        Map<String, String> after = new HashMap<>();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            ConfigKey<?> key = DynamicConfigRules.key(target, setting.getKey());
            if (setting.getValue() != null) {
                DynamicConfigRules.checkValue(target, key, setting.getValue(), staticConfig);
                after.put(key.name(), setting.getValue());
            }
        }
        return (image, current) -> after;
    }

    /**
     * IncrementalAlterConfigs: SET and DELETE a key, or APPEND items to and SUBTRACT items from a list key. A list
     * the resource does not set itself is edited starting from the value it inherits.
     *
     * @throws MetadataException for a key listed twice, an unknown or static key, a missing or bad value, or a list
     *     operation on a key that is not a list
     */
    static ConfigPlan edit(ConfigTarget target, List<Edit> edits, BrokerConfig staticConfig) {
        Set<String> seen = new HashSet<>();
        List<ConfigKey<?>> keys = new ArrayList<>();
        for (Edit edit : edits) {
            if (!seen.add(edit.key())) {
                throw new MetadataException(
                        MetadataError.INVALID_REQUEST, "Error due to duplicate config keys: " + edit.key());
            }
            ConfigKey<?> key = DynamicConfigRules.key(target, edit.key());
            if (edit.operation() != Operation.DELETE && edit.value() == null) {
                throw new MetadataException(
                        MetadataError.INVALID_REQUEST,
                        "Null value not supported for " + edit.operation() + " of " + edit.key());
            }
            boolean listOperation = edit.operation() == Operation.APPEND || edit.operation() == Operation.SUBTRACT;
            if (listOperation && key.type() != ConfigType.LIST) {
                throw new MetadataException(
                        MetadataError.INVALID_CONFIG,
                        "Can't " + edit.operation() + " to key " + edit.key() + " because its type is not LIST.");
            }
            if (edit.operation() == Operation.SET) {
                DynamicConfigRules.checkValue(target, key, edit.value(), staticConfig);
            }
            keys.add(key);
        }
        return (image, current) -> {
            Map<String, String> after = new HashMap<>(current);
            ConfigResolver resolver = new ConfigResolver(staticConfig, image);
            for (int i = 0; i < edits.size(); i++) {
                Edit edit = edits.get(i);
                ConfigKey<?> key = keys.get(i);
                switch (edit.operation()) {
                    case SET -> after.put(key.name(), edit.value());
                    case DELETE -> after.remove(key.name());
                    case APPEND, SUBTRACT -> {
                        String base = after.get(key.name());
                        if (base == null) {
                            base = resolver.inherited(target.type(), target.name(), key);
                        }
                        String edited = editList(base, edit);
                        DynamicConfigRules.checkValue(target, key, edited, staticConfig);
                        after.put(key.name(), edited);
                    }
                }
            }
            return after;
        };
    }

    /** Appends the edit's items that are missing, or removes every occurrence of them, keeping the list's order. */
    private static String editList(String base, Edit edit) {
        List<String> items = items(base);
        for (String item : items(edit.value())) {
            if (edit.operation() == Operation.APPEND) {
                if (!items.contains(item)) {
                    items.add(item);
                }
            } else {
                items.removeIf(item::equals);
            }
        }
        return String.join(",", items);
    }

    private static List<String> items(String list) {
        List<String> items = new ArrayList<>();
        if (list == null) {
            return items;
        }
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
