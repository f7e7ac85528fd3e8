/**
 * Typed configuration keys. Each key knows its name (Kafka's where the meaning is the same, {@code wharf.*} where the
 * setting is Wharf's own), type, default, documentation and valid range; the broker's and the topics' settings are
 * declared with them, parsed from {@code server.properties}, answered in DescribeConfigs and written into the
 * generated configuration reference.
 */
package io.wharf.common.config;
