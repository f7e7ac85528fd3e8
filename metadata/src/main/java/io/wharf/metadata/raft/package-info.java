/**
 * The metadata log of a cluster: the controllers' Apache Ratis group. {@link io.wharf.metadata.raft.RaftMetadataLog}
 * is the {@link io.wharf.metadata.MetadataLog} of a controller node, {@link
 * io.wharf.metadata.raft.MetadataStateMachine} applies committed entries to the image and snapshots it, and {@link
 * io.wharf.metadata.raft.QuorumClient} reaches the quorum's leader from any node. The only package that imports
 * Ratis.
 */
package io.wharf.metadata.raft;
