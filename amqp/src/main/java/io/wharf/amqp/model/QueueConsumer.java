package io.wharf.amqp.model;

/** What a queue pushes messages to: a basic.consume subscription. Broker thread only. */
public interface QueueConsumer {

    String tag();

    /** Whether the consumer can take one more message now (prefetch window, channel.flow, socket room). */
    boolean canTake();

    /** Hands the consumer a message taken from {@code queue}. */
    void deliver(AmqpQueue queue, QueueEntry entry);
}
