package io.wharf.amqp.connection;

import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.QueueConsumer;
import io.wharf.amqp.model.QueueEntry;

/**
 * A basic.consume subscription of a channel. It can take a message while the channel's flow is on, the socket has
 * room, and (unless no-ack) its own prefetch window and the channel's global one are not full. Broker thread only.
 */
final class ChannelConsumer implements QueueConsumer {

    private final AmqpChannel channel;
    private final String tag;
    private final AmqpQueue queue;
    private final boolean noAck;
    private final boolean exclusive;
    private final int prefetch;
    private int unacked;

    ChannelConsumer(AmqpChannel channel, String tag, AmqpQueue queue, boolean noAck, boolean exclusive, int prefetch) {
        this.channel = channel;
        this.tag = tag;
        this.queue = queue;
        this.noAck = noAck;
        this.exclusive = exclusive;
        this.prefetch = prefetch;
    }

    @Override
    public String tag() {
        return tag;
    }

    AmqpQueue queue() {
        return queue;
    }

    boolean noAck() {
        return noAck;
    }

    boolean exclusive() {
        return exclusive;
    }

    @Override
    public boolean canTake() {
        if (!channel.canDeliver()) {
            return false;
        }
        return noAck || ((prefetch == 0 || unacked < prefetch) && channel.globalWindowOpen());
    }

    @Override
    public void deliver(AmqpQueue from, QueueEntry entry) {
        channel.deliver(this, from, entry);
    }

    void taken() {
        unacked++;
    }

    void settled() {
        unacked--;
    }
}
