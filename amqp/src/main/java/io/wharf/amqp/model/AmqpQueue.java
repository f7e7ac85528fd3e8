package io.wharf.amqp.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A queue: messages ready for delivery, highest priority first and in publish order within a priority (a requeued
 * message goes back to its place), and the consumers they are pushed to in turn. A message taken by a consumer that
 * acknowledges is counted as unacknowledged here and held by the consumer's channel until it is settled.
 *
 * <p>Limits: {@code x-max-length} / {@code x-max-length-bytes} count ready messages; past them the oldest is dropped
 * (dead-lettered as {@code maxlen}) or, with {@code x-overflow=reject-publish}, the new one is refused. Expired
 * messages are removed when they reach the head. Broker thread only.
 */
public final class AmqpQueue {

    /** What the queue calls when a message leaves it unacknowledged. */
    public interface Events {
        void deadLettered(AmqpQueue queue, QueueEntry entry, DeadLetterReason reason);

        /** The entry is gone for good (acknowledged, dropped or dead-lettered): a durable queue records that. */
        void settled(AmqpQueue queue, QueueEntry entry);
    }

    private static final Comparator<QueueEntry> BY_SEQUENCE = Comparator.comparingLong(QueueEntry::sequence);

    private final String name;
    private final boolean durable;
    private final long exclusiveOwner;
    private final boolean autoDelete;
    private final Map<String, Object> arguments;
    private final QueueArguments limits;
    private final Events events;
    private final List<PriorityQueue<QueueEntry>> ready = new ArrayList<>();
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private int nextConsumer;
    private long nextSequence;
    private long readyBytes;
    private int readyCount;
    private int unacked;
    private boolean hadConsumer;
    private long lastUsedMs;

    /** @param exclusiveOwner the id of the connection that owns an exclusive queue, or -1 */
    public AmqpQueue(
            String name,
            boolean durable,
            long exclusiveOwner,
            boolean autoDelete,
            Map<String, Object> arguments,
            Events events,
            long nowMs) {
        this.name = name;
        this.durable = durable;
        this.exclusiveOwner = exclusiveOwner;
        this.autoDelete = autoDelete;
        this.arguments = Map.copyOf(Arguments.normalise(arguments));
        this.limits = QueueArguments.parse(this.arguments);
        this.events = events;
        for (int i = 0; i <= limits.maxPriority(); i++) {
            ready.add(new PriorityQueue<>(BY_SEQUENCE));
        }
        this.lastUsedMs = nowMs;
    }

    public String name() {
        return name;
    }

    public boolean durable() {
        return durable;
    }

    public boolean exclusive() {
        return exclusiveOwner >= 0;
    }

    public long exclusiveOwner() {
        return exclusiveOwner;
    }

    public boolean autoDelete() {
        return autoDelete;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    public QueueArguments limits() {
        return limits;
    }

    public int readyCount() {
        return readyCount;
    }

    /** Body bytes of the ready messages. */
    public long readyBytes() {
        return readyBytes;
    }

    public int unackedCount() {
        return unacked;
    }

    public int consumerCount() {
        return consumers.size();
    }

    public List<QueueConsumer> consumers() {
        return List.copyOf(consumers);
    }

    /** Whether a redeclaration with these properties is the same queue (else 406). */
    public boolean sameAs(
            boolean otherDurable, boolean otherExclusive, boolean otherAutoDelete, Map<String, Object> args) {
        return durable == otherDurable
                && exclusive() == otherExclusive
                && autoDelete == otherAutoDelete
                && arguments.equals(Map.copyOf(Arguments.normalise(args)));
    }

    /**
     * Adds a published message.
     *
     * @return false when the queue is full and refuses new messages ({@code x-overflow=reject-publish})
     */
    public boolean enqueue(Message message, long nowMs) {
        return enqueue(message, nowMs, nextSequence);
    }

    /** Adds a message at a known position (a durable queue's log offset, when it is recovered or appended). */
    public boolean enqueue(Message message, long nowMs, long sequence) {
        if (full(message) && limits.rejectPublish()) {
            return false;
        }
        long ttl = ttlMs(message);
        QueueEntry entry = new QueueEntry(sequence, message, ttl < 0 ? Long.MAX_VALUE : nowMs + ttl);
        nextSequence = Math.max(nextSequence, sequence + 1);
        addReady(entry);
        while (overLimit()) {
            QueueEntry oldest = pollHead();
            events.deadLettered(this, oldest, DeadLetterReason.MAXLEN);
        }
        lastUsedMs = nowMs;
        return true;
    }

    /** Whether the queue takes {@code message} now (false: it is full and refuses new messages). */
    public boolean accepts(Message message) {
        return !(limits.rejectPublish() && full(message));
    }

    /** The sequence the next message gets. */
    public long nextSequence() {
        return nextSequence;
    }

    private long ttlMs(Message message) {
        long perMessage = message.expirationMs();
        long perQueue = limits.messageTtlMs();
        if (perMessage < 0) {
            return perQueue;
        }
        return perQueue < 0 ? perMessage : Math.min(perMessage, perQueue);
    }

    private boolean full(Message message) {
        return (limits.maxLength() >= 0 && readyCount + 1 > limits.maxLength())
                || (limits.maxLengthBytes() >= 0 && readyBytes + message.body().length > limits.maxLengthBytes());
    }

    private boolean overLimit() {
        return readyCount > 0
                && ((limits.maxLength() >= 0 && readyCount > limits.maxLength())
                        || (limits.maxLengthBytes() >= 0 && readyBytes > limits.maxLengthBytes()));
    }

    private void addReady(QueueEntry entry) {
        int level = Math.min(entry.message().priority(), limits.maxPriority());
        ready.get(Math.max(level, 0)).add(entry);
        readyCount++;
        readyBytes += entry.message().body().length;
    }

    private QueueEntry peekHead() {
        for (int level = ready.size() - 1; level >= 0; level--) {
            QueueEntry head = ready.get(level).peek();
            if (head != null) {
                return head;
            }
        }
        return null;
    }

    private QueueEntry pollHead() {
        for (int level = ready.size() - 1; level >= 0; level--) {
            QueueEntry head = ready.get(level).poll();
            if (head != null) {
                readyCount--;
                readyBytes -= head.message().body().length;
                return head;
            }
        }
        return null;
    }

    /** Takes the next live message (for basic.get or a consumer), dead-lettering expired ones on the way. */
    public QueueEntry take(long nowMs) {
        lastUsedMs = nowMs;
        while (true) {
            QueueEntry head = pollHead();
            if (head == null || !head.expired(nowMs)) {
                return head;
            }
            events.deadLettered(this, head, DeadLetterReason.EXPIRED);
        }
    }

    /** Counts a message taken by a consumer that will acknowledge it. */
    public void taken() {
        unacked++;
    }

    /** A taken message was acknowledged (or dropped by its consumer). */
    public void settle(QueueEntry entry) {
        unacked--;
        events.settled(this, entry);
    }

    /**
     * A taken message comes back unacknowledged: it is ready again, redelivered, unless it has now been delivered
     * more often than {@code x-delivery-limit} allows.
     */
    public void requeue(QueueEntry entry, long nowMs) {
        unacked--;
        entry.returned(true);
        if (limits.deliveryLimit() >= 0 && entry.deliveryCount() > limits.deliveryLimit()) {
            events.deadLettered(this, entry, DeadLetterReason.DELIVERY_LIMIT);
            return;
        }
        addReady(entry);
    }

    /** A taken message was rejected without requeue. */
    public void reject(QueueEntry entry) {
        unacked--;
        events.deadLettered(this, entry, DeadLetterReason.REJECTED);
    }

    /** Pushes ready messages to consumers that can take them, in turn. */
    public void dispatch(long nowMs) {
        while (readyCount > 0 && !consumers.isEmpty()) {
            QueueConsumer consumer = nextWithRoom();
            if (consumer == null) {
                return;
            }
            QueueEntry entry = take(nowMs);
            if (entry == null) {
                return;
            }
            consumer.deliver(this, entry);
        }
    }

    private QueueConsumer nextWithRoom() {
        for (int i = 0; i < consumers.size(); i++) {
            int index = (nextConsumer + i) % consumers.size();
            QueueConsumer consumer = consumers.get(index);
            if (consumer.canTake()) {
                nextConsumer = (index + 1) % consumers.size();
                return consumer;
            }
        }
        return null;
    }

    /** Removes expired messages from the head of every priority level. */
    public void expire(long nowMs) {
        for (PriorityQueue<QueueEntry> level : ready) {
            while (!level.isEmpty() && level.peek().expired(nowMs)) {
                QueueEntry head = level.poll();
                readyCount--;
                readyBytes -= head.message().body().length;
                events.deadLettered(this, head, DeadLetterReason.EXPIRED);
            }
        }
    }

    /** Drops every ready message; returns how many. */
    public int purge() {
        int count = 0;
        QueueEntry entry;
        while ((entry = pollHead()) != null) {
            events.settled(this, entry);
            count++;
        }
        return count;
    }

    public void addConsumer(QueueConsumer consumer, long nowMs) {
        consumers.add(consumer);
        hadConsumer = true;
        lastUsedMs = nowMs;
    }

    public void removeConsumer(QueueConsumer consumer, long nowMs) {
        consumers.remove(consumer);
        nextConsumer = 0;
        lastUsedMs = nowMs;
    }

    /** Whether an auto-delete queue has lost its last consumer. */
    public boolean autoDeleteDue() {
        return autoDelete && hadConsumer && consumers.isEmpty();
    }

    /** Whether {@code x-expires} says the queue, unused for that long, is to be deleted. */
    public boolean expiresDue(long nowMs) {
        return limits.expiresMs() > 0 && consumers.isEmpty() && nowMs - lastUsedMs >= limits.expiresMs();
    }

    public void used(long nowMs) {
        lastUsedMs = nowMs;
    }
}
