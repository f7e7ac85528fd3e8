/**
 * The partitions this broker hosts. {@link io.wharf.server.partition.ReplicaManager} keeps them in step with the
 * metadata image (creating and deleting logs); each {@link io.wharf.server.partition.Partition} owns its log, its
 * leader state and its high watermark, and wakes fetches waiting for the watermark to move.
 */
package io.wharf.server.partition;
