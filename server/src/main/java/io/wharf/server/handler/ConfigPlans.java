package io.wharf.server.handler;

import io.wharf.common.config.ConfigKey;
import io.wharf.common.config.ConfigType;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.metadata.controller.ConfigChange;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.DynamicConfigs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes AlterConfigs and IncrementalAlterConfigs make to one resource, as the {@link ConfigChange}s the metadata
 * controller applies to the current settings. Keys, operations and plain values are checked here, before anything is
 * sent to the controller; a list edited by APPEND or SUBTRACT is checked by the controller once its new value is
 * known ({@code ServerConfigRules}).
 */
final class ConfigPlans {

    private ConfigPlans() {}

    /**
     * AlterConfigs: {@code settings} become all the explicit settings of {@code target}; keys not listed, or listed
     * with a null value, are removed.
     *
     * @throws MetadataException for an unknown or static key, or a bad value
     */
    static ConfigChange replace(ConfigTarget target, Map<String, String> settings, BrokerConfig staticConfig) {
        List<ConfigChange.Edit> edits = new ArrayList<>();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            ConfigKey<?> key = DynamicConfigs.key(target.type(), setting.getKey());
            if (setting.getValue() != null) {
                DynamicConfigs.checkValue(target.type(), key, setting.getValue(), staticConfig);
                edits.add(new ConfigChange.Edit(key.name(), ConfigChange.Op.SET, setting.getValue()));
            }
        }
        return new ConfigChange(target.type(), target.name(), false, edits);
    }

    /**
     * IncrementalAlterConfigs: SET and DELETE a key, or APPEND items to and SUBTRACT items from a list key. A list
     * the resource does not set itself is edited starting from the value it inherits.
     *
     * @throws MetadataException for a key listed twice, an unknown or static key, a missing or bad value, or a list
     *     operation on a key that is not a list
     */
    static ConfigChange edit(ConfigTarget target, List<ConfigChange.Edit> edits, BrokerConfig staticConfig) {
        Set<String> seen = new HashSet<>();
        List<ConfigChange.Edit> checked = new ArrayList<>();
        for (ConfigChange.Edit edit : edits) {
            if (!seen.add(edit.key())) {
                throw new MetadataException(
                        MetadataError.INVALID_REQUEST, "Error due to duplicate config keys: " + edit.key());
            }
            ConfigKey<?> key = DynamicConfigs.key(target.type(), edit.key());
            if (edit.op() != ConfigChange.Op.DELETE && edit.value() == null) {
                throw new MetadataException(
                        MetadataError.INVALID_REQUEST,
                        "Null value not supported for " + edit.op() + " of " + edit.key());
            }
            boolean listOperation = edit.op() == ConfigChange.Op.APPEND || edit.op() == ConfigChange.Op.SUBTRACT;
            if (listOperation && key.type() != ConfigType.LIST) {
                throw new MetadataException(
                        MetadataError.INVALID_CONFIG,
                        "Can't " + edit.op() + " to key " + edit.key() + " because its type is not LIST.");
            }
            if (edit.op() == ConfigChange.Op.SET) {
                DynamicConfigs.checkValue(target.type(), key, edit.value(), staticConfig);
            }
            checked.add(new ConfigChange.Edit(key.name(), edit.op(), edit.value()));
        }
        return new ConfigChange(target.type(), target.name(), true, checked);
    }

    /**
     * The operation with IncrementalAlterConfigs' wire id {@code id}.
     *
     * @throws MetadataException for an id no operation has
     */
    static ConfigChange.Op operation(byte id) {
        try {
            return ConfigChange.Op.ofCode(id);
        } catch (IllegalArgumentException e) {
            throw new MetadataException(MetadataError.INVALID_REQUEST, "Unknown config operation " + id);
        }
    }
}
