/**
 * Connecting to a broker: the shared options ({@code -b}, {@code --command-config}, {@code --timeout},
 * {@code --verbose}) and {@link io.wharf.cli.client.Clients}, which makes kafka-clients' admin client, producer and
 * consumer with every wait bounded, so that an unreachable broker is reported in one line within the timeout.
 */
package io.wharf.cli.client;
