/**
 * The group coordinator: consumer groups under the classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup)
 * and the KIP-848 protocol (ConsumerGroupHeartbeat, server-side assignment), share groups (ShareGroupHeartbeat; the
 * state of their records is kept by their share-partition leaders and the share coordinator, in
 * {@code io.wharf.coordinator.share}), and committed offsets. Each group
 * lives in the shard of the {@code __consumer_offsets} partition its id hashes to ({@link
 * io.wharf.coordinator.group.GroupCoordinatorShard}); {@link io.wharf.coordinator.group.GroupCoordinator} routes
 * requests to shards. A shard is its durable state ({@code GroupState}, changed only by replaying records), the
 * classic rebalances under way laid over it ({@code LiveGroups}, soft), and one operation class per protocol that
 * reads the state, writes records and keeps its own soft state. The record format is drawn in {@code GroupRecords}.
 */
package io.wharf.coordinator.group;
