package io.wharf.amqp.model;

import com.rabbitmq.client.AMQP;
import java.util.Map;

/**
 * A published message as the broker keeps it: where it was published, its content header exactly as the publisher
 * sent it (so properties and headers reach consumers byte for byte), the properties read from it, and the body.
 * Immutable; one instance is shared by every queue it was routed to.
 *
 * @param header the content-header frame's payload as received
 */
public record Message(String exchange, String routingKey, byte[] header, AMQP.BasicProperties properties, byte[] body) {

    /** Delivery mode 2 marks a message to be stored durably by a durable queue. */
    public boolean persistent() {
        Integer mode = properties.getDeliveryMode();
        return mode != null && mode == 2;
    }

    public int priority() {
        Integer priority = properties.getPriority();
        return priority == null ? 0 : priority;
    }

    public Map<String, Object> headers() {
        Map<String, Object> headers = properties.getHeaders();
        return headers == null ? Map.of() : headers;
    }

    /** The per-message TTL from the {@code expiration} property, or -1 when none (or not a number). */
    public long expirationMs() {
        String expiration = properties.getExpiration();
        if (expiration == null) {
            return -1;
        }
        try {
            long ms = Long.parseLong(expiration.trim());
            return ms < 0 ? -1 : ms;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Bytes the message holds in memory (header and body), for length and memory limits. */
    public long sizeBytes() {
        return header.length + (long) body.length;
    }
}
