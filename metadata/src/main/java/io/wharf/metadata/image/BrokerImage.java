package io.wharf.metadata.image;

import io.wharf.common.Endpoint;
import java.util.List;
import java.util.Optional;

/** A registered broker and where clients reach it. */
public record BrokerImage(int brokerId, List<Endpoint> endpoints, String rack) {

    /** The endpoint of the named listener, if the broker has one. */
    public Optional<Endpoint> endpoint(String listenerName) {
        return endpoints.stream()
                .filter(e -> e.listenerName().equals(listenerName))
                .findFirst();
    }
}
