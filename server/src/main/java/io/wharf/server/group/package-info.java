/**
 * The broker's side of the group coordinator: where its records go ({@code __consumer_offsets}, through
 * {@link io.wharf.server.group.OffsetsPartitionWriter}), when that topic is created and its partitions loaded
 * ({@link io.wharf.server.group.GroupCoordinatorManager}), and what topics and timers the coordinator sees.
 */
package io.wharf.server.group;
