package io.wharf.metadata.record;

import io.wharf.common.Endpoint;
import java.util.List;

/**
 * A broker's addresses, as single-node logs written before broker registration recorded them. Still read, and applied
 * as an active registration; never written any more ({@link RegisterBrokerRecord} replaced it).
 */
public record BrokerRecord(int brokerId, List<Endpoint> endpoints, String rack) implements MetadataRecord {

    public BrokerRecord {
        endpoints = List.copyOf(endpoints);
    }
}
