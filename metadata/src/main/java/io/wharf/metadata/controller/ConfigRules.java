package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataException;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;

/** What the controller needs to know about settings to apply a {@link ConfigChange}; given by the broker. */
public interface ConfigRules {

    /**
     * Checks a value a change leaves explicitly set on a resource.
     *
     * @throws MetadataException to refuse the change
     */
    void check(ConfigRecord.ResourceType type, String name, String key, String value);

    /** The value a resource that does not set {@code key} itself inherits, or null (the base of APPEND and SUBTRACT). */
    String inherited(MetadataImage image, ConfigRecord.ResourceType type, String name, String key);

    /** Accepts every value; inherits nothing. For tests of the controller alone. */
    ConfigRules ANY = new ConfigRules() {
        @Override
        public void check(ConfigRecord.ResourceType type, String name, String key, String value) {}

        @Override
        public String inherited(MetadataImage image, ConfigRecord.ResourceType type, String name, String key) {
            return null;
        }
    };
}
