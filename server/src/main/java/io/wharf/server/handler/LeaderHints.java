package io.wharf.server.handler;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicPartition;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The leader a client should move to when this broker refuses a partition it no longer leads (KIP-951): the new
 * leader and epoch per partition, and the address of each broker named, on the client's listener, so clients move
 * without a metadata round trip. One collection per response.
 */
final class LeaderHints {

    /** A partition's leader as the metadata says. */
    record Leader(int leaderId, int leaderEpoch) {}

    private final MetadataImage image;
    private final String listenerName;
    private final Map<Integer, Endpoint> endpoints = new TreeMap<>();
    private final Map<Integer, String> racks = new TreeMap<>();

    LeaderHints(MetadataImage image, String listenerName) {
        this.image = image;
        this.listenerName = listenerName;
    }

    /** The leader of {@code tp} if it is an active broker reachable on the client's listener, noting its address. */
    Optional<Leader> leaderOf(TopicPartition tp) {
        Optional<PartitionImage> partition =
                image.topic(tp.topic()).map(t -> t.partitions().get(tp.partition()));
        if (partition.isEmpty() || !partition.get().hasLeader()) {
            return Optional.empty();
        }
        int leader = partition.get().leader();
        Optional<BrokerImage> broker = image.broker(leader).filter(BrokerImage::isActive);
        Optional<Endpoint> endpoint = broker.flatMap(b -> b.endpoint(listenerName));
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        endpoints.put(leader, endpoint.get());
        racks.put(leader, broker.get().rack());
        return Optional.of(new Leader(leader, partition.get().leaderEpoch()));
    }

    /** The addresses of the brokers named so far, by id. */
    Map<Integer, Endpoint> endpoints() {
        return endpoints;
    }

    String rack(int brokerId) {
        return racks.get(brokerId);
    }

    /** Whether a partition error is one a leader hint answers. */
    static boolean wantsHint(short errorCode) {
        return errorCode == org.apache.kafka.common.protocol.Errors.NOT_LEADER_OR_FOLLOWER.code()
                || errorCode == org.apache.kafka.common.protocol.Errors.FENCED_LEADER_EPOCH.code();
    }
}
