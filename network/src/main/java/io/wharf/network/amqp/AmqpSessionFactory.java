package io.wharf.network.amqp;

/** Makes the session of each new AMQP connection, once its protocol header was accepted. Any thread. */
@FunctionalInterface
public interface AmqpSessionFactory {

    AmqpSession open(AmqpLink link);
}
