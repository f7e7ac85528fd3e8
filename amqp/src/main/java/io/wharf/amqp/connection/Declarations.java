package io.wharf.amqp.connection;

import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Method;
import io.wharf.amqp.AmqpBroker;
import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.VirtualHost;

/**
 * The exchange and queue methods of a channel: declare, delete, bind, unbind, purge. Each validates against the
 * virtual host (which throws before changing anything) and returns its reply, or null when the client asked for none
 * ({@code nowait}). Broker thread only.
 */
final class Declarations {

    private Declarations() {}

    /** @return the reply, or null for nowait; throws IllegalArgumentException if {@code method} is not one of these */
    static Method handle(AmqpConnection connection, Method method) {
        AmqpBroker broker = connection.broker();
        VirtualHost host = broker.host();
        long id = connection.id();
        if (method instanceof AMQImpl.Exchange.Declare m) {
            host.declareExchange(
                    m.getExchange(),
                    m.getType(),
                    m.getPassive(),
                    m.getDurable(),
                    m.getAutoDelete(),
                    m.getInternal(),
                    m.getArguments());
            return m.getNowait() ? null : new AMQImpl.Exchange.DeclareOk();
        }
        if (method instanceof AMQImpl.Exchange.Delete m) {
            host.deleteExchange(m.getExchange(), m.getIfUnused());
            return m.getNowait() ? null : new AMQImpl.Exchange.DeleteOk();
        }
        if (method instanceof AMQImpl.Exchange.Bind m) {
            host.bind(m.getSource(), m.getDestination(), false, m.getRoutingKey(), m.getArguments(), id);
            return m.getNowait() ? null : new AMQImpl.Exchange.BindOk();
        }
        if (method instanceof AMQImpl.Exchange.Unbind m) {
            host.unbind(m.getSource(), m.getDestination(), false, m.getRoutingKey(), m.getArguments(), id);
            return m.getNowait() ? null : new AMQImpl.Exchange.UnbindOk();
        }
        if (method instanceof AMQImpl.Queue.Declare m) {
            AmqpQueue queue = host.declareQueue(
                    m.getQueue(),
                    m.getPassive(),
                    m.getDurable(),
                    m.getExclusive(),
                    m.getAutoDelete(),
                    m.getArguments(),
                    id,
                    broker.nowMs());
            return m.getNowait()
                    ? null
                    : new AMQImpl.Queue.DeclareOk(queue.name(), queue.readyCount(), queue.consumerCount());
        }
        if (method instanceof AMQImpl.Queue.Bind m) {
            host.bind(m.getExchange(), m.getQueue(), true, m.getRoutingKey(), m.getArguments(), id);
            return m.getNowait() ? null : new AMQImpl.Queue.BindOk();
        }
        if (method instanceof AMQImpl.Queue.Unbind m) {
            host.unbind(m.getExchange(), m.getQueue(), true, m.getRoutingKey(), m.getArguments(), id);
            return new AMQImpl.Queue.UnbindOk();
        }
        if (method instanceof AMQImpl.Queue.Purge m) {
            int count = host.existingQueue(m.getQueue(), id).purge();
            return m.getNowait() ? null : new AMQImpl.Queue.PurgeOk(count);
        }
        if (method instanceof AMQImpl.Queue.Delete m) {
            AmqpQueue queue = host.existingQueue(m.getQueue(), id);
            host.checkDeletable(queue, m.getIfUnused(), m.getIfEmpty());
            int count = broker.deleteQueue(queue);
            return m.getNowait() ? null : new AMQImpl.Queue.DeleteOk(count);
        }
        throw new IllegalArgumentException("not a declaration: " + method.protocolMethodName());
    }

    static boolean handles(Method method) {
        int classId = method.protocolClassId();
        return classId == 40 || classId == 50;
    }
}
