/**
 * Broker and topic configuration: the keys ({@link io.wharf.server.config.BrokerConfig},
 * {@link io.wharf.server.config.TopicConfigs}), and how a value is resolved from its layers
 * ({@link io.wharf.server.config.ConfigResolver}): a topic's own setting, the broker's dynamic setting, the cluster
 * default, {@code server.properties}, the built-in default.
 */
package io.wharf.server.config;
