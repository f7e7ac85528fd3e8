package io.wharf.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;

/**
 * Reads the subscription a classic-protocol consumer sends as its JoinGroup metadata (the "consumer" embedded
 * protocol), so the broker can tell which topics a group consumes.
 */
public final class ConsumerSubscriptions {

    /** The protocol type of Kafka consumers' groups. */
    public static final String PROTOCOL_TYPE = "consumer";

    private ConsumerSubscriptions() {}

    /**
     * The topics named in a consumer's subscription metadata.
     *
     * @throws IllegalArgumentException when the bytes are not a consumer subscription
     */
    public static List<String> topics(byte[] metadata) {
        try {
            return List.copyOf(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata))
                    .topics());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a consumer subscription: " + e.getMessage(), e);
        }
    }
}
