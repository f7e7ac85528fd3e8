package io.wharf.amqp.connection;

import com.rabbitmq.client.AMQP;
import io.wharf.amqp.codec.MethodCodec;
import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.QueueEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content header a delivery carries: the publisher's, byte for byte, except for a message handed back to a queue
 * with a delivery limit (or of type quorum), which carries {@code x-delivery-count} as RabbitMQ's quorum queues do.
 */
final class Redelivery {

    private Redelivery() {}

    static byte[] header(AmqpQueue queue, QueueEntry entry) {
        boolean counted = queue.limits().deliveryLimit() >= 0 || queue.limits().quorum();
        if (!counted || entry.deliveryCount() == 0) {
            return entry.message().header();
        }
        AMQP.BasicProperties props = entry.message().properties();
        Map<String, Object> headers = new LinkedHashMap<>(props.getHeaders() == null ? Map.of() : props.getHeaders());
        headers.put("x-delivery-count", (long) entry.deliveryCount());
        return MethodCodec.encodeHeader(
                props.builder().headers(headers).build(), entry.message().body().length);
    }
}
