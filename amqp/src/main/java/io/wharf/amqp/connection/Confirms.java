package io.wharf.amqp.connection;

import com.rabbitmq.client.impl.AMQImpl;
import io.wharf.amqp.model.PublishOutcome;
import java.util.TreeMap;

/**
 * Publisher confirms of one channel (confirm.select): every publish gets the next sequence number from 1; it is
 * acknowledged once every durable copy is on disk, or nacked when a queue refused it or it could not be stored.
 * Confirms leave in sequence order, runs of acks folded into one {@code multiple} ack. Broker thread only.
 */
final class Confirms {

    private final AmqpChannel channel;
    private final TreeMap<Long, Boolean> done = new TreeMap<>();
    private boolean enabled;
    private long published;
    private long confirmed;
    private long lastSentAck;

    Confirms(AmqpChannel channel) {
        this.channel = channel;
    }

    void enable() {
        enabled = true;
    }

    boolean enabled() {
        return enabled;
    }

    void published(PublishOutcome outcome) {
        if (!enabled) {
            return;
        }
        long sequence = ++published;
        if (outcome.refused()) {
            complete(sequence, false);
        } else if (outcome.stored().isDone()) {
            complete(sequence, !outcome.stored().isCompletedExceptionally());
        } else {
            outcome.stored()
                    .whenComplete((ok, error) -> channel.broker().execute(() -> complete(sequence, error == null)));
        }
    }

    private void complete(long sequence, boolean ack) {
        if (channel.state() == ChannelState.CLOSED || channel.state() == ChannelState.CLOSING) {
            return;
        }
        done.put(sequence, ack);
        long lastAck = 0;
        while (!done.isEmpty() && done.firstKey() == confirmed + 1) {
            long next = done.firstKey();
            boolean isAck = done.remove(next);
            if (isAck) {
                lastAck = next;
            } else {
                if (lastAck > 0) {
                    sendAck(lastAck);
                    lastAck = 0;
                }
                channel.sendMethod(new AMQImpl.Basic.Nack(next, false, false));
                lastSentAck = next;
            }
            confirmed = next;
        }
        if (lastAck > 0) {
            sendAck(lastAck);
        }
    }

    private void sendAck(long upTo) {
        boolean multiple = upTo - lastSentAck > 1;
        channel.sendMethod(new AMQImpl.Basic.Ack(upTo, multiple));
        lastSentAck = upTo;
    }
}
