package io.wharf.metadata.controller;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import java.util.List;

/**
 * A broker process asking to join the cluster.
 *
 * @param incarnationId random for this process
 * @param previousIncarnationId the incarnation that last held this broker's data directory (ZERO if none): proof that
 *     it is dead, since the data directory's lock is held now
 * @param endpoints the advertised listeners
 * @param rack {@code broker.rack}, or null
 */
public record BrokerRegistration(
        int brokerId, TopicId incarnationId, TopicId previousIncarnationId, List<Endpoint> endpoints, String rack) {

    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }
}
