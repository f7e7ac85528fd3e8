/**
 * The broker's side of share groups, on a single broker and across a cluster. For the share-partitions this broker
 * leads: what their leaders read of the partition logs ({@link io.wharf.server.share.PartitionShareLog}, with Wharf's
 * queue headers), the group settings they see, the way to their state at the share coordinators
 * ({@link io.wharf.server.share.ShareStatePersister}, locally or with the share-group state RPCs), the dead-letter
 * copies they write to the dead-letter partitions' leaders ({@link io.wharf.server.share.DeadLetterWriter}), what the
 * group coordinators say of members ({@link io.wharf.server.share.ShareMembership},
 * {@link io.wharf.server.share.ShareMemberSweep}), the share sessions of consumers
 * ({@link io.wharf.server.share.ShareSessions}) and the fetch rounds that acquire records and attach their batches
 * ({@link io.wharf.server.share.ShareRounds}). For the share groups this broker coordinates: creating, describing,
 * resetting and deleting their share-partitions wherever they are ({@link io.wharf.server.share.ShareGroupStates},
 * with the data partitions' leaders answering {@link io.wharf.server.share.PartitionOffsets}).
 */
package io.wharf.server.share;
