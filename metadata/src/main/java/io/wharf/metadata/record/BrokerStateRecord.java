package io.wharf.metadata.record;

import io.wharf.metadata.image.BrokerState;

/** The registration {@code brokerEpoch} of broker {@code brokerId} moved to {@code state}. */
public record BrokerStateRecord(int brokerId, long brokerEpoch, BrokerState state) implements MetadataRecord {}
