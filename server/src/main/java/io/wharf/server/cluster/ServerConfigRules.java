package io.wharf.server.cluster;

import io.wharf.common.config.ConfigKey;
import io.wharf.metadata.controller.ConfigRules;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ConfigResolver;
import io.wharf.server.config.DynamicConfigs;

/**
 * The broker's rules on dynamic settings, as the controller applies them to a change: the same checks the broker
 * makes before it forwards a change, run again on the value a list edit produces, and the inherited values list edits
 * start from. Stateless apart from the static config; thread-safe.
 */
final class ServerConfigRules implements ConfigRules {

    private final BrokerConfig staticConfig;

    ServerConfigRules(BrokerConfig staticConfig) {
        this.staticConfig = staticConfig;
    }

    @Override
    public void check(ConfigRecord.ResourceType type, String name, String key, String value) {
        DynamicConfigs.checkValue(type, name, key, value, staticConfig);
    }

    @Override
    public String inherited(MetadataImage image, ConfigRecord.ResourceType type, String name, String key) {
        ConfigKey<?> configKey = DynamicConfigs.key(type, key);
        return new ConfigResolver(staticConfig, image).inherited(type, name, configKey);
    }
}
