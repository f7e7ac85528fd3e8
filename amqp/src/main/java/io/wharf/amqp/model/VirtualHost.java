package io.wharf.amqp.model;

import io.wharf.amqp.codec.AmqpException;
import io.wharf.amqp.codec.ReplyCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One virtual host: its exchanges (the default one and the {@code amq.*} ones always there), queues and bindings,
 * and every rule about declaring, deleting and routing. Each operation validates first and throws an
 * {@link AmqpException} before changing anything. Broker thread only.
 */
public final class VirtualHost {

    private final String name;
    private final Map<String, Exchange> exchanges = new LinkedHashMap<>();
    private final Map<String, AmqpQueue> queues = new LinkedHashMap<>();
    private final DurableStore store;
    private final DeadLettering deadLettering;
    private boolean replaying;

    public VirtualHost(String name, DurableStore store) {
        this.name = name;
        this.store = store;
        this.deadLettering = new DeadLettering(this);
        for (ExchangeType type : ExchangeType.values()) {
            addBuiltIn("amq." + type.wireName(), type);
        }
        addBuiltIn("", ExchangeType.DIRECT);
        addBuiltIn("amq.match", ExchangeType.HEADERS);
    }

    private void addBuiltIn(String exchangeName, ExchangeType type) {
        exchanges.put(exchangeName, new Exchange(exchangeName, type, true, false, false, Map.of()));
    }

    public String name() {
        return name;
    }

    /** The store, or one that keeps nothing while recovered state is being replayed into this host. */
    public DurableStore store() {
        return replaying ? DurableStore.NONE : store;
    }

    /** Replays recovered state: declarations made meanwhile are not written to the store again. */
    public void replay(Runnable recovery) {
        replaying = true;
        try {
            recovery.run();
        } finally {
            replaying = false;
        }
    }

    /** Puts back a stored message of a durable queue at its log offset, while replaying. */
    public void recoverMessage(AmqpQueue queue, long offset, Message message, long nowMs) {
        queue.enqueue(message, nowMs, offset);
    }

    public Exchange exchange(String exchangeName) {
        return exchanges.get(exchangeName);
    }

    public AmqpQueue queue(String queueName) {
        return queues.get(queueName);
    }

    public Collection<AmqpQueue> queues() {
        return queues.values();
    }

    public Collection<Exchange> exchanges() {
        return exchanges.values();
    }

    /** The exchange, or 404 (a channel error). */
    public Exchange existingExchange(String exchangeName) {
        Exchange exchange = exchanges.get(exchangeName);
        if (exchange == null) {
            throw AmqpException.channel(
                    ReplyCode.NOT_FOUND, "no exchange '" + exchangeName + "' in vhost '" + name + "'");
        }
        return exchange;
    }

    /** The queue, or 404; an exclusive queue of another connection is 405. */
    public AmqpQueue existingQueue(String queueName, long connectionId) {
        AmqpQueue queue = queues.get(queueName);
        if (queue == null) {
            throw AmqpException.channel(ReplyCode.NOT_FOUND, "no queue '" + queueName + "' in vhost '" + name + "'");
        }
        if (queue.exclusive() && queue.exclusiveOwner() != connectionId) {
            throw AmqpException.channel(
                    ReplyCode.RESOURCE_LOCKED, "cannot obtain exclusive access to locked queue '" + queueName + "'");
        }
        return queue;
    }

    public Exchange declareExchange(
            String exchangeName,
            String typeName,
            boolean passive,
            boolean durable,
            boolean autoDelete,
            boolean internal,
            Map<String, Object> arguments) {
        if (passive) {
            return existingExchange(exchangeName);
        }
        ExchangeType type = ExchangeType.of(typeName);
        Exchange existing = exchanges.get(exchangeName);
        if (existing != null) {
            if (!existing.sameAs(type, durable, autoDelete, internal)) {
                throw AmqpException.channel(
                        ReplyCode.PRECONDITION_FAILED,
                        "inequivalent arg for exchange '" + exchangeName + "': declared with other properties");
            }
            return existing;
        }
        refuseReserved(exchangeName, "exchange");
        Exchange exchange = new Exchange(exchangeName, type, durable, autoDelete, internal, arguments);
        exchanges.put(exchangeName, exchange);
        if (durable) {
            store().exchangeDeclared(exchange);
        }
        return exchange;
    }

    private static void refuseReserved(String entityName, String kind) {
        if (entityName.startsWith("amq.")) {
            throw AmqpException.channel(
                    ReplyCode.ACCESS_REFUSED, kind + " name '" + entityName + "' contains reserved prefix 'amq.*'");
        }
    }

    public void deleteExchange(String exchangeName, boolean ifUnused) {
        if (exchangeName.isEmpty() || exchangeName.startsWith("amq.")) {
            throw AmqpException.channel(
                    ReplyCode.ACCESS_REFUSED, "cannot delete built-in exchange '" + exchangeName + "'");
        }
        Exchange exchange = existingExchange(exchangeName);
        if (ifUnused && (!exchange.bindings().isEmpty() || isDestination(exchangeName))) {
            throw AmqpException.channel(ReplyCode.PRECONDITION_FAILED, "exchange '" + exchangeName + "' in use");
        }
        for (Binding binding : List.copyOf(exchange.bindings())) {
            removeBinding(exchange, binding);
        }
        for (Exchange other : List.copyOf(exchanges.values())) {
            for (Binding binding : List.copyOf(other.bindings())) {
                if (!binding.toQueue() && binding.destination().equals(exchangeName)) {
                    removeBinding(other, binding);
                }
            }
        }
        exchanges.remove(exchangeName);
        if (exchange.durable()) {
            store().exchangeDeleted(exchangeName);
        }
    }

    private boolean isDestination(String exchangeName) {
        for (Exchange other : exchanges.values()) {
            for (Binding binding : other.bindings()) {
                if (!binding.toQueue() && binding.destination().equals(exchangeName)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Declares a queue ({@code queueName} empty: a server-named one).
     *
     * @param connectionId the declaring connection, owner of an exclusive queue
     */
    public AmqpQueue declareQueue(
            String queueName,
            boolean passive,
            boolean durable,
            boolean exclusive,
            boolean autoDelete,
            Map<String, Object> arguments,
            long connectionId,
            long nowMs) {
        if (passive) {
            return existingQueue(queueName, connectionId);
        }
        AmqpQueue existing = queues.get(queueName);
        if (existing != null) {
            existingQueue(queueName, connectionId);
            if (!existing.sameAs(durable, exclusive, autoDelete, arguments)) {
                throw AmqpException.channel(
                        ReplyCode.PRECONDITION_FAILED,
                        "inequivalent arg for queue '" + queueName + "': declared with other properties");
            }
            existing.used(nowMs);
            return existing;
        }
        String actual = queueName.isEmpty() ? "amq.gen-" + UUID.randomUUID() : queueName;
        if (!queueName.isEmpty()) {
            refuseReserved(queueName, "queue");
        }
        AmqpQueue queue = new AmqpQueue(
                actual, durable, exclusive ? connectionId : -1, autoDelete, arguments, deadLettering, nowMs);
        queues.put(actual, queue);
        Binding implicit = new Binding("", actual, true, actual, Map.of());
        exchanges.get("").bind(implicit);
        if (durable && !exclusive) {
            store().queueDeclared(queue);
        }
        return queue;
    }

    /** Deletes a queue; returns how many ready messages it held. Its consumers are the caller's to cancel. */
    public int deleteQueue(AmqpQueue queue, boolean ifUnused, boolean ifEmpty) {
        checkDeletable(queue, ifUnused, ifEmpty);
        int count = queue.readyCount();
        for (Exchange exchange : List.copyOf(exchanges.values())) {
            for (Binding binding : List.copyOf(exchange.bindings())) {
                if (binding.toQueue() && binding.destination().equals(queue.name())) {
                    removeBinding(exchange, binding);
                }
            }
        }
        queues.remove(queue.name());
        if (queue.durable() && !queue.exclusive()) {
            store().queueDeleted(queue.name());
        }
        return count;
    }

    /** Throws 406 when queue.delete's if-unused or if-empty condition does not hold. */
    public void checkDeletable(AmqpQueue queue, boolean ifUnused, boolean ifEmpty) {
        if (ifUnused && queue.consumerCount() > 0) {
            throw AmqpException.channel(ReplyCode.PRECONDITION_FAILED, "queue '" + queue.name() + "' in use");
        }
        if (ifEmpty && queue.readyCount() > 0) {
            throw AmqpException.channel(ReplyCode.PRECONDITION_FAILED, "queue '" + queue.name() + "' not empty");
        }
    }

    /** Binds a queue or exchange to {@code sourceName}. */
    public void bind(
            String sourceName,
            String destination,
            boolean toQueue,
            String key,
            Map<String, Object> args,
            long connectionId) {
        Exchange source = checkBindable(sourceName, destination, toQueue, connectionId);
        Binding binding = new Binding(sourceName, destination, toQueue, key, args);
        if (source.bind(binding) && source.durable() && destinationDurable(destination, toQueue)) {
            store().bound(binding);
        }
    }

    public void unbind(
            String sourceName,
            String destination,
            boolean toQueue,
            String key,
            Map<String, Object> args,
            long connectionId) {
        Exchange source = checkBindable(sourceName, destination, toQueue, connectionId);
        Binding binding = new Binding(sourceName, destination, toQueue, key, args);
        if (source.bindings().contains(binding)) {
            removeBinding(source, binding);
        }
    }

    private Exchange checkBindable(String sourceName, String destination, boolean toQueue, long connectionId) {
        if (sourceName.isEmpty()) {
            throw AmqpException.channel(ReplyCode.ACCESS_REFUSED, "operation not permitted on the default exchange");
        }
        Exchange source = existingExchange(sourceName);
        if (toQueue) {
            existingQueue(destination, connectionId);
        } else {
            existingExchange(destination);
        }
        return source;
    }

    private boolean destinationDurable(String destination, boolean toQueue) {
        return toQueue
                ? queues.get(destination).durable()
                : exchanges.get(destination).durable();
    }

    private void removeBinding(Exchange source, Binding binding) {
        source.unbind(binding);
        if (!source.name().isEmpty()
                && source.durable()
                && (binding.toQueue() ? durableQueue(binding.destination()) : durableExchange(binding))) {
            store().unbound(binding);
        }
        if (source.autoDelete() && source.bindings().isEmpty() && exchanges.containsKey(source.name())) {
            exchanges.remove(source.name());
            if (source.durable()) {
                store().exchangeDeleted(source.name());
            }
        }
    }

    private boolean durableQueue(String queueName) {
        AmqpQueue queue = queues.get(queueName);
        return queue != null && queue.durable();
    }

    private boolean durableExchange(Binding binding) {
        Exchange source = exchanges.get(binding.source());
        Exchange destination = exchanges.get(binding.destination());
        return source != null && source.durable() && destination != null && destination.durable();
    }

    /**
     * The queues a message published to {@code exchange} reaches, following exchange-to-exchange bindings (each
     * exchange once).
     */
    public Set<AmqpQueue> route(Exchange exchange, String routingKey, Map<String, Object> headers) {
        Set<AmqpQueue> targets = new LinkedHashSet<>();
        Set<String> visited = new HashSet<>();
        List<Exchange> pending = new ArrayList<>(List.of(exchange));
        while (!pending.isEmpty()) {
            Exchange current = pending.remove(pending.size() - 1);
            if (!visited.add(current.name())) {
                continue;
            }
            for (Binding binding : current.bindings()) {
                if (!current.matches(binding, routingKey, headers)) {
                    continue;
                }
                if (binding.toQueue()) {
                    AmqpQueue queue = queues.get(binding.destination());
                    if (queue != null) {
                        targets.add(queue);
                    }
                } else {
                    Exchange next = exchanges.get(binding.destination());
                    if (next != null) {
                        pending.add(next);
                    }
                }
            }
        }
        return targets;
    }

    /** Enqueues a message in every queue it routes to, storing the persistent copies of durable queues. */
    public PublishOutcome publish(Exchange exchange, Message message, long nowMs) {
        Set<AmqpQueue> targets = route(exchange, message.routingKey(), message.headers());
        return enqueue(targets, message, nowMs);
    }

    PublishOutcome enqueue(Collection<AmqpQueue> targets, Message message, long nowMs) {
        boolean refused = false;
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        for (AmqpQueue queue : targets) {
            if (!queue.accepts(message)) {
                refused = true;
                continue;
            }
            long sequence = queue.nextSequence();
            if (queue.durable() && !queue.exclusive()) {
                DurableStore.Stored copy = store().append(queue, message);
                if (copy != null) {
                    if (copy.sequence() < 0) {
                        stored.add(copy.durable());
                        continue;
                    }
                    sequence = copy.sequence();
                    if (message.persistent()) {
                        stored.add(copy.durable());
                    }
                }
            }
            queue.enqueue(message, nowMs, sequence);
        }
        for (AmqpQueue queue : targets) {
            queue.dispatch(nowMs);
        }
        CompletableFuture<Void> all = stored.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new));
        return new PublishOutcome(!targets.isEmpty(), refused, all);
    }

    /** Sets the time dead letters are stamped with, before each broker step. */
    public void tick(long nowMs) {
        deadLettering.nowMs(nowMs);
    }
}
