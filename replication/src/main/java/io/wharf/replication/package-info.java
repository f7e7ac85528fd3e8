/**
 * A partition's replica on this broker: its role ({@link io.wharf.replication.ReplicaRole}, an explicit state
 * machine), leader epoch, in-sync replicas and high watermark ({@link io.wharf.replication.PartitionReplica}), and
 * the replica fetchers that copy leaders' logs to followers. Protocol-neutral: no Kafka or metadata classes; the
 * server adapts the metadata image and the Kafka Fetch API to it.
 */
package io.wharf.replication;
