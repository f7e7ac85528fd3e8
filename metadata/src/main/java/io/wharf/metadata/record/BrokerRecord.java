package io.wharf.metadata.record;

import io.wharf.common.Endpoint;
import java.util.List;

/** A broker registered with the addresses clients should use to reach it. */
public record BrokerRecord(int brokerId, List<Endpoint> endpoints, String rack) implements MetadataRecord {

    public BrokerRecord {
        endpoints = List.copyOf(endpoints);
    }
}
