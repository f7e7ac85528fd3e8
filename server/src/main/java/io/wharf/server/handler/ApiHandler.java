package io.wharf.server.handler;

import io.wharf.protocol.wire.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Serves one Kafka API. A handler computes its response from the request and the broker's state; it may complete
 * later (a produce waiting for its fsync, a fetch waiting for data).
 */
public interface ApiHandler {

    ApiKeys apiKey();

    /** The oldest version served: by default the floor of Kafka 4.x clients. */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /** The newest version served: by default the newest stable one kafka-clients knows. */
    default short maxVersion() {
        return apiKey().latestVersion(false);
    }

    /** The oldest version advertised in ApiVersions, when it must be lower than {@link #minVersion()}. */
    default short advertisedMinVersion() {
        return minVersion();
    }

    /** Whether the handler is cheap and never blocks, so it may run on the network event loop. */
    default boolean runsOnEventLoop() {
        return false;
    }

    /**
     * Whether this request can be answered without waiting on disk or locks, so that it may run on the network event
     * loop when its connection has nothing else in progress (one thread hop less each way). Only ever asked about a
     * request whose version is served.
     */
    default boolean answersWithoutBlocking(KafkaRequest request) {
        return false;
    }

    /**
     * Handles a request whose version is within [{@link #minVersion()}, {@link #maxVersion()}].
     *
     * @return the response, or a future completed with null when the request gets no response (acks=0)
     */
    CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request);
}
