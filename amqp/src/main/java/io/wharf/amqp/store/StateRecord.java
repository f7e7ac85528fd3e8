package io.wharf.amqp.store;

import java.util.Map;

/**
 * One change to what a virtual host keeps durably. Replaying the records in order rebuilds the durable exchanges,
 * queues and bindings, and which stored messages are already settled.
 */
public sealed interface StateRecord {

    /** A durable exchange was declared. */
    record ExchangeDeclared(
            String name, int typeCode, boolean autoDelete, boolean internal, Map<String, Object> arguments)
            implements StateRecord {}

    record ExchangeDeleted(String name) implements StateRecord {}

    /**
     * A durable queue was declared; its messages are in the log {@code topic} from {@code fromOffset} on (what lies
     * before belonged to an earlier queue of the same name).
     */
    record QueueDeclared(String name, boolean autoDelete, Map<String, Object> arguments, String topic, long fromOffset)
            implements StateRecord {}

    record QueueDeleted(String name) implements StateRecord {}

    /** A binding between durable entities was added ({@code added}) or removed. */
    record BindingChanged(
            boolean added,
            String source,
            String destination,
            boolean toQueue,
            String key,
            Map<String, Object> arguments)
            implements StateRecord {}

    /** The message at {@code offset} of a durable queue's log was acknowledged, dropped or dead-lettered. */
    record Settled(String queue, long offset) implements StateRecord {}
}
