package io.wharf.metadata.record;

/**
 * A block of producer ids was handed to a broker: every id below {@code nextProducerId} is taken, cluster-wide and
 * forever.
 */
public record ProducerIdsRecord(int brokerId, long nextProducerId) implements MetadataRecord {}
