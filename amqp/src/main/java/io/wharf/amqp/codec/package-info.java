/**
 * The method codec: amqp-client's generated {@code AMQImpl} classes read and write every AMQP 0-9-1 method and the
 * basic content header. {@link io.wharf.amqp.codec.MethodCodec} is the only class that calls their readers and
 * writers; the rest of the front end uses the method classes as plain data, as the Kafka handlers use kafka-clients'
 * generated messages.
 */
package io.wharf.amqp.codec;
