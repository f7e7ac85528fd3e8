/**
 * Partition logs on disk. {@link io.wharf.storage.PartitionLog} is one partition's append-only log of Kafka record
 * batches, stored exactly as produced (offsets and leader epoch patched in, CRCs untouched); its segments, indexes,
 * producer state and recovery are drawn in the Javadoc of the classes that own them. {@link io.wharf.storage.LogManager}
 * owns the logs of a data directory, their background work and the directory's journal ({@link
 * io.wharf.storage.journal}), through which every append of its logs is made durable.
 *
 * <p>Storage depends on {@code common} and on the record-batch view of {@code protocol} only.
 */
package io.wharf.storage;
