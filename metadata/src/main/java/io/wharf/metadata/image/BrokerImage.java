package io.wharf.metadata.image;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import java.util.List;
import java.util.Optional;

/**
 * A registered broker: which process (incarnation and epoch), where clients reach it, its rack and its state.
 *
 * @param rack the broker's rack, or null
 * @param stateOffset the offset of the batch that registered the broker or last changed its state: a broker has
 *     caught up with that change once its own image reaches it
 */
public record BrokerImage(
        int brokerId,
        TopicId incarnationId,
        long epoch,
        List<Endpoint> endpoints,
        String rack,
        BrokerState state,
        long stateOffset) {

    public BrokerImage {
        endpoints = List.copyOf(endpoints);
    }

    /** The endpoint of the named listener, if the broker has one. */
    public Optional<Endpoint> endpoint(String listenerName) {
        return endpoints.stream()
                .filter(e -> e.listenerName().equals(listenerName))
                .findFirst();
    }

    /** Whether the broker serves: it leads partitions, takes new replicas and is listed to clients. */
    public boolean isActive() {
        return state == BrokerState.ACTIVE;
    }

    public boolean isFenced() {
        return state == BrokerState.FENCED;
    }

    BrokerImage withState(BrokerState next, long offset) {
        return new BrokerImage(brokerId, incarnationId, epoch, endpoints, rack, state.moveTo(next), offset);
    }
}
