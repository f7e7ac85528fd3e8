/**
 * The broker: {@link io.wharf.server.Broker} assembles storage, metadata, partitions, handlers and the network server
 * and runs their lifecycle; {@link io.wharf.server.ServerMain} is the {@code wharf server} command.
 */
package io.wharf.server;
