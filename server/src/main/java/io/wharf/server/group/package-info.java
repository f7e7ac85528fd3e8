/**
 * The broker's side of its coordinators: where their records go (their internal topic's partitions, through
 * {@link io.wharf.server.group.InternalPartitionWriter}), when those topics are created and loaded
 * ({@link io.wharf.server.group.CoordinatorManager}, built by {@link io.wharf.server.group.Coordinators}), and what
 * topics and timers the coordinators see.
 */
package io.wharf.server.group;
