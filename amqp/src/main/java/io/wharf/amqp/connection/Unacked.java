package io.wharf.amqp.connection;

import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.QueueEntry;

/**
 * A delivery waiting for the client's ack, nack or reject.
 *
 * @param consumer the consumer it went to, or null for basic.get
 */
record Unacked(long tag, AmqpQueue queue, QueueEntry entry, ChannelConsumer consumer) {}
