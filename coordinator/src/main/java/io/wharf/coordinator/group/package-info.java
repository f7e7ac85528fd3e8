/**
 * The group coordinator: consumer groups under the classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup)
 * and the KIP-848 protocol (ConsumerGroupHeartbeat, server-side assignment), share groups (ShareGroupHeartbeat; their
 * records' state is the share coordinator's, in {@code io.wharf.coordinator.share}), and committed offsets. Each group
 * lives in the shard of the {@code __consumer_offsets} partition its id hashes to ({@link
 * io.wharf.coordinator.group.GroupCoordinatorShard}); {@link io.wharf.coordinator.group.GroupCoordinator} routes
 * requests to shards.
 */
package io.wharf.coordinator.group;
