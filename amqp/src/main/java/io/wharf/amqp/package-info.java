/**
 * The AMQP 0-9-1 front end. {@link io.wharf.amqp.AmqpBroker} owns every exchange, queue and binding and runs all of
 * them on one thread; connections hand it their frames. Subpackages: {@code codec} (the one seam to amqp-client's
 * generated method classes), {@code connection} (the connection and channel state machines), {@code model}
 * (exchanges, bindings, queues, routing).
 */
package io.wharf.amqp;
