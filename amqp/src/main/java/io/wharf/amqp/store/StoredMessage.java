package io.wharf.amqp.store;

/**
 * How a message sits in a durable queue's log, as a Kafka record that Kafka consumers can read too: the key is the
 * routing key, the value the body, and headers carry the rest, so the AMQP side gets the message back byte for byte.
 */
public final class StoredMessage {

    /** The exchange it was published to (UTF-8). */
    public static final String EXCHANGE = "amqp.exchange";
    /** The routing key it was published with (UTF-8), also the record's key. */
    public static final String ROUTING_KEY = "amqp.routing-key";
    /** The AMQP content header (class, weight, body size, properties) exactly as the publisher sent it. */
    public static final String CONTENT_HEADER = "amqp.content-header";
    /** "2" for a persistent message, "1" for a transient one (not recovered after a restart). */
    public static final String DELIVERY_MODE = "amqp.delivery-mode";

    private StoredMessage() {}
}
