package io.wharf.amqp.model;

import com.rabbitmq.client.AMQP;
import io.wharf.amqp.codec.MethodCodec;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Republishes what a queue dead-letters to its {@code x-dead-letter-exchange}, with the routing key
 * {@code x-dead-letter-routing-key} (else the original one), and with the {@code x-death} header RabbitMQ clients
 * read: one table per (queue, reason) with {@code count}, {@code reason}, {@code queue}, {@code time},
 * {@code exchange}, {@code routing-keys}, newest first, and {@code x-first-death-*} set once. The expiration is removed
 * (kept as {@code original-expiration}) so the copy does not expire again at once. A message is not dead-lettered
 * back into the queue it left unless it was rejected, which would loop forever. Without a dead-letter exchange the
 * message is dropped. Broker thread only.
 */
final class DeadLettering implements AmqpQueue.Events {

    private final VirtualHost host;
    private long nowMs;

    DeadLettering(VirtualHost host) {
        this.host = host;
    }

    void nowMs(long now) {
        this.nowMs = now;
    }

    long nowMs() {
        return nowMs;
    }

    @Override
    public void settled(AmqpQueue queue, QueueEntry entry) {
        if (queue.durable() && entry.message().persistent()) {
            host.store().settled(queue, entry.sequence());
        }
    }

    @Override
    public void deadLettered(AmqpQueue queue, QueueEntry entry, DeadLetterReason reason) {
        settled(queue, entry);
        String exchangeName = queue.limits().deadLetterExchange();
        if (exchangeName == null) {
            return;
        }
        Exchange exchange = host.exchange(exchangeName);
        if (exchange == null) {
            return;
        }
        Message original = entry.message();
        String key = queue.limits().deadLetterRoutingKey() != null
                ? queue.limits().deadLetterRoutingKey()
                : original.routingKey();
        Message letter = letter(queue, original, reason, key);
        Set<AmqpQueue> targets = host.route(exchange, key, letter.headers());
        if (reason != DeadLetterReason.REJECTED) {
            targets.remove(queue);
        }
        host.enqueue(targets, letter, nowMs);
    }

    private Message letter(AmqpQueue queue, Message original, DeadLetterReason reason, String key) {
        AMQP.BasicProperties props = original.properties();
        Map<String, Object> headers = new LinkedHashMap<>(props.getHeaders() == null ? Map.of() : props.getHeaders());
        headers.put("x-death", deaths(headers.get("x-death"), queue, original, reason));
        headers.putIfAbsent("x-first-death-reason", reason.wireName());
        headers.putIfAbsent("x-first-death-queue", queue.name());
        headers.putIfAbsent("x-first-death-exchange", original.exchange());
        AMQP.BasicProperties letterProps =
                props.builder().headers(headers).expiration(null).build();
        byte[] header = MethodCodec.encodeHeader(letterProps, original.body().length);
        return new Message(
                original.exchange(),
                key,
                header,
                MethodCodec.decodeHeader(header).properties(),
                original.body());
    }

    private List<Object> deaths(Object previous, AmqpQueue queue, Message original, DeadLetterReason reason) {
        List<Object> deaths = new ArrayList<>();
        long count = 1;
        if (previous instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> death
                        && queue.name().equals(String.valueOf(death.get("queue")))
                        && reason.wireName().equals(String.valueOf(death.get("reason")))) {
                    count += death.get("count") instanceof Number n ? n.longValue() : 0;
                } else {
                    deaths.add(item);
                }
            }
        }
        Map<String, Object> death = new HashMap<>();
        death.put("count", count);
        death.put("reason", reason.wireName());
        death.put("queue", queue.name());
        death.put("time", new Date(nowMs / 1000 * 1000));
        death.put("exchange", original.exchange());
        death.put("routing-keys", List.of(original.routingKey()));
        if (original.properties().getExpiration() != null) {
            death.put("original-expiration", original.properties().getExpiration());
        }
        deaths.add(0, death);
        return deaths;
    }
}
