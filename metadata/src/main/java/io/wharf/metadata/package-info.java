/**
 * Cluster metadata: topics, partitions and their leaders, configs, brokers and producer-id blocks. Every change is a
 * {@link io.wharf.metadata.record.MetadataRecord} appended to a {@link io.wharf.metadata.MetadataLog} and then applied
 * to an immutable {@link io.wharf.metadata.image.MetadataImage}; the {@link io.wharf.metadata.MetadataController}
 * computes the records of each change on its one thread and changes nothing else. A single node keeps the log in a
 * local file; a cluster will replicate the same records with Raft.
 */
package io.wharf.metadata;
