/**
 * The share coordinator: the state of every share-partition (KIP-932 queues) in {@code __share_group_state}. A
 * share-partition tracks, from its start offset on, which records are available, acquired by a member until a lock
 * deadline, acknowledged or archived, and how often each was delivered. Acquisitions and acknowledgements are
 * records replayed like every coordinator change ({@link io.wharf.coordinator.share.SharePartition} plans,
 * {@link io.wharf.coordinator.share.ShareCoordinatorShard} writes and replays), so a restart delivers nothing that
 * was acknowledged and loses nothing that was not.
 */
package io.wharf.coordinator.share;
