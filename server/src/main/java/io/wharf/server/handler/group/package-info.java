/**
 * The group APIs: FindCoordinator, the classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), the KIP-848
 * protocol (ConsumerGroupHeartbeat, ConsumerGroupDescribe), share group membership (ShareGroupHeartbeat,
 * ShareGroupDescribe), offsets (OffsetCommit, OffsetFetch, OffsetDelete) and group administration (ListGroups,
 * DescribeGroups, DeleteGroups). Each handler translates its request and hands it to the group coordinator.
 */
package io.wharf.server.handler.group;
