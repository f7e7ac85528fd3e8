/**
 * Share groups' records (KIP-932 queues), in two roles. The <b>share-partition leader</b>
 * ({@link io.wharf.coordinator.share.SharePartitionManager}, one
 * {@link io.wharf.coordinator.share.SharePartitionLeader} per share-partition) runs on the broker that leads the data
 * partition: it tracks, from the start offset on, which records are available, acquired by a member until a lock
 * deadline, acknowledged or archived, and how often each was delivered, next to the log it reads them from; its API
 * (acquire and acknowledge in a fetch, release, renew) is protocol-neutral. The <b>share coordinator</b>
 * ({@link io.wharf.coordinator.share.ShareCoordinator}) runs on the leader of the {@code __share_group_state}
 * partition a share-partition hashes to and keeps its durable state, fenced by state and leader epochs.
 *
 * <p>A leader plans every change ({@link io.wharf.coordinator.share.Plan}), writes it to the share coordinator
 * through a {@link io.wharf.coordinator.share.SharePersister}, and replays it once durable; the coordinator's shard
 * writes and replays records like every coordinator. So a failover of either delivers nothing that was acknowledged,
 * loses nothing that was not, and keeps delivery counts and locks.
 */
package io.wharf.coordinator.share;
