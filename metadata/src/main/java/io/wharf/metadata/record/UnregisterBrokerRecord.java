package io.wharf.metadata.record;

/** The registration {@code brokerEpoch} of broker {@code brokerId} was removed from the cluster. */
public record UnregisterBrokerRecord(int brokerId, long brokerEpoch) implements MetadataRecord {}
