/**
 * A connection's handshake and lifetime ({@link io.wharf.amqp.connection.AmqpConnection}, states in
 * {@link io.wharf.amqp.connection.ConnectionState}) and its multiplexed channels
 * ({@link io.wharf.amqp.connection.AmqpChannel}, states in {@link io.wharf.amqp.connection.ChannelState}): content
 * assembly, consumers, unacknowledged deliveries, publisher confirms, transactions. Broker thread only.
 */
package io.wharf.amqp.connection;
