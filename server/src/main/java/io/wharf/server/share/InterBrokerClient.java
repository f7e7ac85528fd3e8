package io.wharf.server.share;

import io.wharf.common.Endpoint;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.network.NetworkClient;
import io.wharf.protocol.wire.RequestCodec;
import io.wharf.protocol.wire.ResponseCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Sends Kafka requests from this broker to another one, on the inter-broker listener, as any Kafka client would: what
 * share groups need of other brokers (share-group state at its share coordinator, offsets at a partition's leader,
 * membership at a group coordinator, dead letters to a partition's leader). Each request goes at the newest stable
 * version kafka-clients knows, which every Wharf broker serves.
 *
 * <p>Thread-safe. Answers complete on the network client's event loop: callers must not block on them.
 */
public final class InterBrokerClient {

    private final NetworkClient network;
    private final Supplier<MetadataImage> image;
    private final String listenerName;
    private final String clientId;
    private final long timeoutMs;

    /**
     * @param image where the other brokers' addresses are found
     * @param listenerName the listener brokers reach each other on ({@code inter.broker.listener.name})
     * @param timeoutMs how long a request may wait for its answer
     */
    public InterBrokerClient(
            NetworkClient network, Supplier<MetadataImage> image, String listenerName, int nodeId, long timeoutMs) {
        this.network = network;
        this.image = image;
        this.listenerName = listenerName;
        this.clientId = "wharf-broker-" + nodeId;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Sends {@code request} to broker {@code brokerId}.
     *
     * @return the response; fails with an {@link IOException} when the broker has no address or the connection
     *     fails, and with a timeout when no answer came in time
     */
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> CompletableFuture<R> send(int brokerId, ApiMessage request) {
        Optional<Endpoint> endpoint =
                image.get().broker(brokerId).filter(BrokerImage::isActive).flatMap(b -> b.endpoint(listenerName));
        if (endpoint.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IOException("broker " + brokerId + " is not active on listener " + listenerName));
        }
        ApiKeys api = ApiKeys.forId(request.apiKey());
        short version = api.latestVersion(false);
        int correlationId = network.nextCorrelationId();
        ByteBuffer frame;
        try {
            frame = RequestCodec.encode(request, version, clientId, correlationId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return network.send(endpoint.get().host(), endpoint.get().port(), frame, correlationId, timeoutMs)
                .thenApply(response -> (R) ResponseCodec.decode(api, version, response));
    }
}
