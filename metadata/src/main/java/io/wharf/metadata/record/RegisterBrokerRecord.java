package io.wharf.metadata.record;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import java.util.List;

/**
 * A broker process registered: a new incarnation of broker {@code brokerId} replaces any earlier registration of that
 * id. A registration starts fenced; {@link BrokerStateRecord}s move it from there.
 *
 * @param incarnationId random per process start, so two processes with one node id are told apart
 * @param brokerEpoch unique and increasing over every registration of the cluster; requests from the broker carry it
 * @param endpoints where clients reach the broker, per listener
 * @param rack the broker's {@code broker.rack}, or null
 */
public record RegisterBrokerRecord(
        int brokerId, TopicId incarnationId, long brokerEpoch, List<Endpoint> endpoints, String rack)
        implements MetadataRecord {

    public RegisterBrokerRecord {
        endpoints = List.copyOf(endpoints);
    }
}
