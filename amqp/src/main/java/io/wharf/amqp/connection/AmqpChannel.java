package io.wharf.amqp.connection;

import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Method;
import io.wharf.amqp.AmqpBroker;
import io.wharf.amqp.codec.AmqpException;
import io.wharf.amqp.codec.MethodCodec;
import io.wharf.amqp.codec.ReplyCode;
import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.Exchange;
import io.wharf.amqp.model.Message;
import io.wharf.amqp.model.PublishOutcome;
import io.wharf.amqp.model.QueueConsumer;
import io.wharf.amqp.model.QueueEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One channel of a connection: it reads published content (method, header, body frames), runs the channel's methods,
 * delivers to its consumers and keeps their unacknowledged deliveries. States: {@link ChannelState}; an illegal
 * transition throws. A soft error closes only this channel: its consumers are cancelled and its unacknowledged
 * messages requeued, as when the client closes it. Broker thread only.
 */
final class AmqpChannel {

    private final AmqpConnection connection;
    private final AmqpBroker broker;
    private final int number;
    private final Map<String, ChannelConsumer> consumers = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Unacked> unacked = new LinkedHashMap<>();
    private final Confirms confirms;
    private ChannelState state = ChannelState.OPEN;
    private final ContentAssembly assembly;
    private long deliveryTag;
    private int consumerPrefetch;
    private int globalPrefetch;
    private boolean flowActive = true;
    private List<Runnable> transaction;

    AmqpChannel(AmqpConnection connection, int number) {
        this.connection = connection;
        this.broker = connection.broker();
        this.number = number;
        this.confirms = new Confirms(this);
        this.assembly = new ContentAssembly(broker.config().messageMaxBytes());
    }

    ChannelState state() {
        return state;
    }

    int number() {
        return number;
    }

    AmqpBroker broker() {
        return broker;
    }

    private void moveTo(ChannelState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("channel " + number + " cannot move from " + state + " to " + next);
        }
        state = next;
    }

    void frame(int type, byte[] payload) {
        Method method = null;
        try {
            switch (state) {
                case CLOSING -> closingFrame(type, payload);
                case AWAITING_HEADER -> contentHeader(expectType(type, 2), payload);
                case AWAITING_BODY -> contentBody(expectType(type, 3), payload);
                case OPEN -> {
                    expectType(type, 1);
                    method = MethodCodec.decode(payload);
                    method(method);
                }
                case CLOSED -> {}
            }
        } catch (AmqpException e) {
            AmqpException located =
                    method == null ? e : e.causedBy(method.protocolClassId(), method.protocolMethodId());
            if (located.connectionLevel()) {
                connection.connectionError(located);
            } else {
                channelError(located);
            }
        }
    }

    private int expectType(int type, int expected) {
        if (type != expected) {
            throw AmqpException.connection(
                    ReplyCode.UNEXPECTED_FRAME,
                    "expected a frame of type " + expected + " on channel " + number + ", got " + type,
                    0,
                    0);
        }
        return type;
    }

    private void closingFrame(int type, byte[] payload) {
        if (type != 1) {
            return;
        }
        Method method = MethodCodec.decode(payload);
        if (method instanceof AMQImpl.Channel.Close) {
            connection.send(number, new AMQImpl.Channel.CloseOk());
            moveTo(ChannelState.CLOSED);
        } else if (method instanceof AMQImpl.Channel.CloseOk) {
            moveTo(ChannelState.CLOSED);
        }
    }

    private void channelError(AmqpException error) {
        release();
        moveTo(ChannelState.CLOSING);
        connection.send(
                number,
                new AMQImpl.Channel.Close(error.replyCode(), error.getMessage(), error.classId(), error.methodId()));
    }

    private void method(Method method) {
        if (method instanceof AMQImpl.Basic.Publish publish) {
            startPublish(publish);
            return;
        }
        Method reply = Declarations.handles(method) ? Declarations.handle(connection, method) : basic(method);
        if (reply != null) {
            connection.send(number, reply);
        }
    }

    private Method basic(Method method) {
        if (method instanceof AMQImpl.Channel.Close) {
            release();
            moveTo(ChannelState.CLOSED);
            return new AMQImpl.Channel.CloseOk();
        }
        if (method instanceof AMQImpl.Channel.Flow m) {
            flowActive = m.getActive();
            if (flowActive) {
                broker.dispatchAll();
            }
            return new AMQImpl.Channel.FlowOk(flowActive);
        }
        if (method instanceof AMQImpl.Basic.Qos m) {
            if (m.getGlobal()) {
                globalPrefetch = m.getPrefetchCount();
            } else {
                consumerPrefetch = m.getPrefetchCount();
            }
            broker.dispatchAll();
            return new AMQImpl.Basic.QosOk();
        }
        if (method instanceof AMQImpl.Basic.Consume m) {
            return consume(m);
        }
        if (method instanceof AMQImpl.Basic.Cancel m) {
            cancel(m.getConsumerTag());
            return m.getNowait() ? null : new AMQImpl.Basic.CancelOk(m.getConsumerTag());
        }
        if (method instanceof AMQImpl.Basic.Get m) {
            get(m);
            return null;
        }
        if (method instanceof AMQImpl.Basic.Ack m) {
            inTransaction(() -> settle(m.getDeliveryTag(), m.getMultiple(), Settlement.ACK), m.getDeliveryTag());
            return null;
        }
        if (method instanceof AMQImpl.Basic.Nack m) {
            Settlement how = m.getRequeue() ? Settlement.REQUEUE : Settlement.REJECT;
            inTransaction(() -> settle(m.getDeliveryTag(), m.getMultiple(), how), m.getDeliveryTag());
            return null;
        }
        if (method instanceof AMQImpl.Basic.Reject m) {
            Settlement how = m.getRequeue() ? Settlement.REQUEUE : Settlement.REJECT;
            inTransaction(() -> settle(m.getDeliveryTag(), false, how), m.getDeliveryTag());
            return null;
        }
        if (method instanceof AMQImpl.Basic.Recover || method instanceof AMQImpl.Basic.RecoverAsync) {
            requeueAll();
            broker.dispatchAll();
            return method instanceof AMQImpl.Basic.Recover ? new AMQImpl.Basic.RecoverOk() : null;
        }
        if (method instanceof AMQImpl.Confirm.Select m) {
            if (transaction != null) {
                throw AmqpException.channel(ReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode");
            }
            confirms.enable();
            return m.getNowait() ? null : new AMQImpl.Confirm.SelectOk();
        }
        return transactions(method);
    }

    private Method transactions(Method method) {
        if (method instanceof AMQImpl.Tx.Select) {
            if (confirms.enabled()) {
                throw AmqpException.channel(ReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode");
            }
            if (transaction == null) {
                transaction = new ArrayList<>();
            }
            return new AMQImpl.Tx.SelectOk();
        }
        if (method instanceof AMQImpl.Tx.Commit || method instanceof AMQImpl.Tx.Rollback) {
            if (transaction == null) {
                throw AmqpException.channel(ReplyCode.PRECONDITION_FAILED, "channel is not transactional");
            }
            List<Runnable> work = transaction;
            transaction = new ArrayList<>();
            if (method instanceof AMQImpl.Tx.Commit) {
                work.forEach(Runnable::run);
                return new AMQImpl.Tx.CommitOk();
            }
            return new AMQImpl.Tx.RollbackOk();
        }
        if (method instanceof AMQImpl.Channel.Open) {
            throw AmqpException.connection(ReplyCode.CHANNEL_ERROR, "channel " + number + " is already open", 20, 10);
        }
        throw AmqpException.connection(
                ReplyCode.NOT_IMPLEMENTED,
                "method " + method.protocolMethodName() + " is not supported here",
                method.protocolClassId(),
                method.protocolMethodId());
    }

    /** Runs a settlement now, or at commit on a transactional channel (its tag is checked now either way). */
    private void inTransaction(Runnable action, long tag) {
        if (transaction == null) {
            action.run();
            return;
        }
        if (tag != 0 && !unacked.containsKey(tag)) {
            throw unknownTag(tag);
        }
        transaction.add(action);
    }

    // Publishing.

    private void startPublish(AMQImpl.Basic.Publish publish) {
        if (publish.getImmediate()) {
            throw AmqpException.connection(ReplyCode.NOT_IMPLEMENTED, "immediate=true", 60, 40);
        }
        Exchange exchange = broker.host().existingExchange(publish.getExchange());
        if (exchange.internal()) {
            throw AmqpException.channel(
                    ReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '" + exchange.name() + "'");
        }
        assembly.start(publish);
        moveTo(ChannelState.AWAITING_HEADER);
    }

    private void contentHeader(int type, byte[] payload) {
        if (assembly.header(payload)) {
            moveTo(ChannelState.OPEN);
            publish();
        } else {
            moveTo(ChannelState.AWAITING_BODY);
        }
    }

    private void contentBody(int type, byte[] payload) {
        if (assembly.body(payload)) {
            moveTo(ChannelState.OPEN);
            publish();
        }
    }

    private void publish() {
        AMQImpl.Basic.Publish publish = assembly.publish();
        Message message = assembly.take();
        connection.publishing();
        if (transaction != null) {
            transaction.add(() -> route(publish, message));
            return;
        }
        route(publish, message);
    }

    private void route(AMQImpl.Basic.Publish publish, Message message) {
        Exchange exchange = broker.host().exchange(publish.getExchange());
        PublishOutcome outcome = exchange == null
                ? new PublishOutcome(false, false, CompletableFuture.completedFuture(null))
                : broker.host().publish(exchange, message, broker.nowMs());
        if (!outcome.routed() && publish.getMandatory()) {
            sendContent(
                    new AMQImpl.Basic.Return(ReplyCode.NO_ROUTE, "NO_ROUTE", message.exchange(), message.routingKey()),
                    message.header(),
                    message.body());
        }
        confirms.published(outcome);
    }

    // Delivering.

    boolean canDeliver() {
        return (state == ChannelState.OPEN
                        || state == ChannelState.AWAITING_HEADER
                        || state == ChannelState.AWAITING_BODY)
                && flowActive
                && connection.writable();
    }

    boolean globalWindowOpen() {
        return globalPrefetch == 0 || unacked.size() < globalPrefetch;
    }

    void deliver(ChannelConsumer consumer, AmqpQueue queue, QueueEntry entry) {
        long tag = ++deliveryTag;
        queue.taken();
        if (consumer.noAck()) {
            queue.settle(entry);
        } else {
            consumer.taken();
            unacked.put(tag, new Unacked(tag, queue, entry, consumer));
        }
        Message message = entry.message();
        sendContent(
                new AMQImpl.Basic.Deliver(
                        consumer.tag(), tag, entry.redelivered(), message.exchange(), message.routingKey()),
                Redelivery.header(queue, entry),
                message.body());
    }

    private void get(AMQImpl.Basic.Get get) {
        AmqpQueue queue = broker.host().existingQueue(get.getQueue(), connection.id());
        QueueEntry entry = queue.take(broker.nowMs());
        if (entry == null) {
            connection.send(number, new AMQImpl.Basic.GetEmpty(""));
            return;
        }
        long tag = ++deliveryTag;
        queue.taken();
        if (get.getNoAck()) {
            queue.settle(entry);
        } else {
            unacked.put(tag, new Unacked(tag, queue, entry, null));
        }
        Message message = entry.message();
        sendContent(
                new AMQImpl.Basic.GetOk(
                        tag, entry.redelivered(), message.exchange(), message.routingKey(), queue.readyCount()),
                Redelivery.header(queue, entry),
                message.body());
    }

    /** Sends a method with content: the method frame, the header frame, and the body in frames of frame_max. */
    private void sendContent(Method method, byte[] contentHeader, byte[] contentBody) {
        connection.send(number, method);
        connection.sendFrame(2, number, contentHeader, 0, contentHeader.length);
        int chunk = connection.frameMaxBytes() - 8;
        for (int offset = 0; offset < contentBody.length; offset += chunk) {
            connection.sendFrame(3, number, contentBody, offset, Math.min(chunk, contentBody.length - offset));
        }
    }

    void sendMethod(Method method) {
        connection.send(number, method);
    }

    // Consumers.

    private Method consume(AMQImpl.Basic.Consume m) {
        AmqpQueue queue = broker.host().existingQueue(m.getQueue(), connection.id());
        String tag = m.getConsumerTag().isEmpty() ? "amq.ctag-" + UUID.randomUUID() : m.getConsumerTag();
        if (consumers.containsKey(tag)) {
            throw AmqpException.connection(
                    ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'", 60, 20);
        }
        for (QueueConsumer other : queue.consumers()) {
            if (m.getExclusive() || (other instanceof ChannelConsumer c && c.exclusive())) {
                throw AmqpException.channel(ReplyCode.ACCESS_REFUSED, "queue '" + queue.name() + "' in exclusive use");
            }
        }
        ChannelConsumer consumer =
                new ChannelConsumer(this, tag, queue, m.getNoAck(), m.getExclusive(), consumerPrefetch);
        if (!m.getNowait()) {
            connection.send(number, new AMQImpl.Basic.ConsumeOk(tag));
        }
        consumers.put(tag, consumer);
        queue.addConsumer(consumer, broker.nowMs());
        queue.dispatch(broker.nowMs());
        return null;
    }

    private void cancel(String tag) {
        ChannelConsumer consumer = consumers.remove(tag);
        if (consumer == null) {
            return;
        }
        AmqpQueue queue = consumer.queue();
        queue.removeConsumer(consumer, broker.nowMs());
        if (queue.autoDeleteDue() && broker.host().queue(queue.name()) == queue) {
            broker.deleteQueue(queue);
        }
    }

    /** The queue was deleted: its consumers here are cancelled, and told so if the client asked. */
    void queueDeleted(AmqpQueue queue) {
        for (ChannelConsumer consumer : List.copyOf(consumers.values())) {
            if (consumer.queue() == queue) {
                consumers.remove(consumer.tag());
                queue.removeConsumer(consumer, broker.nowMs());
                if (connection.clientCan("consumer_cancel_notify") && state != ChannelState.CLOSING) {
                    connection.send(number, new AMQImpl.Basic.Cancel(consumer.tag(), true));
                }
            }
        }
        unacked.values().removeIf(u -> u.queue() == queue);
    }

    // Settling.

    private enum Settlement {
        ACK,
        REQUEUE,
        REJECT
    }

    private void settle(long tag, boolean multiple, Settlement how) {
        List<Unacked> settled = new ArrayList<>();
        if (multiple) {
            for (Unacked u : unacked.values()) {
                if (tag != 0 && u.tag() > tag) {
                    break;
                }
                settled.add(u);
            }
            if (tag != 0 && !unacked.containsKey(tag) && settled.isEmpty()) {
                throw unknownTag(tag);
            }
        } else {
            Unacked u = unacked.get(tag);
            if (u == null) {
                throw unknownTag(tag);
            }
            settled.add(u);
        }
        Set<AmqpQueue> touched = new LinkedHashSet<>();
        long now = broker.nowMs();
        for (Unacked u : settled) {
            unacked.remove(u.tag());
            if (u.consumer() != null) {
                u.consumer().settled();
            }
            switch (how) {
                case ACK -> u.queue().settle(u.entry());
                case REQUEUE -> u.queue().requeue(u.entry(), now);
                case REJECT -> u.queue().reject(u.entry());
            }
            touched.add(u.queue());
        }
        for (AmqpQueue queue : touched) {
            queue.dispatch(now);
        }
        if (globalPrefetch > 0 || how != Settlement.ACK) {
            broker.dispatchAll();
        }
    }

    private static AmqpException unknownTag(long tag) {
        return AmqpException.channel(ReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag);
    }

    private void requeueAll() {
        long now = broker.nowMs();
        for (Unacked u : List.copyOf(unacked.values())) {
            if (u.consumer() != null) {
                u.consumer().settled();
            }
            u.queue().requeue(u.entry(), now);
        }
        unacked.clear();
    }

    /** The channel ends (closed by either side, or its connection went): cancel consumers, requeue what is unacked. */
    void release() {
        for (String tag : List.copyOf(consumers.keySet())) {
            cancel(tag);
        }
        requeueAll();
        transaction = null;
        broker.dispatchAll();
    }
}
