/**
 * Where the AMQP front end meets Wharf's logs: {@link io.wharf.server.amqp.LogDurableStore} writes durable queues'
 * messages to one single-partition topic per queue and the durable definitions and settlements to
 * {@code __amqp_state}; {@link io.wharf.server.amqp.AmqpRecovery} replays both at start.
 */
package io.wharf.server.amqp;
