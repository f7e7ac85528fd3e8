package io.wharf.server.amqp;

import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.Binding;
import io.wharf.amqp.model.DurableStore;
import io.wharf.amqp.model.Exchange;
import io.wharf.amqp.model.Message;
import io.wharf.amqp.store.StateRecord;
import io.wharf.amqp.store.StateRecordCodec;
import io.wharf.amqp.store.StoredMessage;
import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.NewTopic;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.partition.ReplicaManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the AMQP front end's durable state on Wharf partition logs, so it is fsynced and replicated like any record:
 * every message of a durable queue goes to that queue's own topic ({@link #topicOf}, one partition, kept forever),
 * and declarations, bindings and settlements go to {@value #STATE_TOPIC}. A persistent message is confirmed once its
 * record is committed (fsynced on every in-sync replica); settlements are written without waiting, so a crash may
 * redeliver a message whose ack had not reached the disk (at least once, never lost).
 *
 * <p>Called on the AMQP broker thread. The logs are appended to here (the partition must be led by this broker);
 * creating a queue's topic waits for the controller.
 */
public final class LogDurableStore implements DurableStore {

    /** The topic of the front end's durable definitions and settlements. */
    public static final String STATE_TOPIC = "__amqp_state";

    private static final String TOPIC_PREFIX = "amqp.";
    private static final int TOPIC_NAME_MAX = 249;
    private static final long CREATE_TIMEOUT_MS = 30_000;

    private final Controller controller;
    private final ReplicaManager replicas;
    private final Clock clock;
    /** Settlements of the current broker step, written together at its end. */
    private final List<StateRecord> settlements = new ArrayList<>();

    public LogDurableStore(Controller controller, ReplicaManager replicas, Clock clock) {
        this.controller = controller;
        this.replicas = replicas;
        this.clock = clock;
    }

    /**
     * The topic holding a durable queue's messages: {@code amqp.} and the queue's name, with every character a topic
     * name cannot hold replaced by {@code _}.
     */
    public static String topicOf(String queueName) {
        StringBuilder name = new StringBuilder(TOPIC_PREFIX);
        for (char c : queueName.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        return name.length() > TOPIC_NAME_MAX ? name.substring(0, TOPIC_NAME_MAX) : name.toString();
    }

    @Override
    public CompletableFuture<Void> exchangeDeclared(Exchange exchange) {
        return write(new StateRecord.ExchangeDeclared(
                exchange.name(),
                exchange.type().code(),
                exchange.autoDelete(),
                exchange.internal(),
                exchange.arguments()));
    }

    @Override
    public CompletableFuture<Void> exchangeDeleted(String name) {
        return write(new StateRecord.ExchangeDeleted(name));
    }

    @Override
    public CompletableFuture<Void> queueDeclared(AmqpQueue queue) {
        String topic = topicOf(queue.name());
        ensureTopic(topic);
        long from = leader(topic).map(p -> p.log().logEndOffset()).orElse(0L);
        return write(new StateRecord.QueueDeclared(queue.name(), queue.autoDelete(), queue.arguments(), topic, from));
    }

    @Override
    public CompletableFuture<Void> queueDeleted(String name) {
        return write(new StateRecord.QueueDeleted(name));
    }

    @Override
    public CompletableFuture<Void> bound(Binding binding) {
        return write(bindingRecord(true, binding));
    }

    @Override
    public CompletableFuture<Void> unbound(Binding binding) {
        return write(bindingRecord(false, binding));
    }

    private static StateRecord bindingRecord(boolean added, Binding b) {
        return new StateRecord.BindingChanged(added, b.source(), b.destination(), b.toQueue(), b.key(), b.arguments());
    }

    @Override
    public Stored append(AmqpQueue queue, Message message) {
        Optional<PartitionReplica> partition = leader(topicOf(queue.name()));
        if (partition.isEmpty()) {
            return new Stored(
                    -1,
                    CompletableFuture.failedFuture(
                            new IllegalStateException("this broker does not lead the log of queue " + queue.name())));
        }
        List<Record.Header> headers = List.of(
                header(StoredMessage.EXCHANGE, message.exchange()),
                header(StoredMessage.ROUTING_KEY, message.routingKey()),
                new Record.Header(StoredMessage.CONTENT_HEADER, message.header()),
                header(StoredMessage.DELIVERY_MODE, message.persistent() ? "2" : "1"));
        byte[] key = message.routingKey().getBytes(StandardCharsets.UTF_8);
        try {
            long offset = partition
                    .get()
                    .appendInternal(RecordBatchBuilder.create()
                            .add(clock.nowMs(), key, message.body(), headers)
                            .build())
                    .lastOffset();
            return new Stored(offset, partition.get().awaitCommitted(offset + 1));
        } catch (RuntimeException e) {
            return new Stored(-1, CompletableFuture.failedFuture(e));
        }
    }

    @Override
    public void settled(AmqpQueue queue, long sequence) {
        settlements.add(new StateRecord.Settled(queue.name(), sequence));
    }

    /** Writes the settlements of one broker step in one batch. */
    @Override
    public void flush() {
        if (settlements.isEmpty()) {
            return;
        }
        List<StateRecord> records = List.copyOf(settlements);
        settlements.clear();
        append(records);
    }

    private static Record.Header header(String key, String value) {
        return new Record.Header(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private CompletableFuture<Void> write(StateRecord record) {
        flush();
        return append(List.of(record));
    }

    private CompletableFuture<Void> append(List<StateRecord> records) {
        ensureTopic(STATE_TOPIC);
        Optional<PartitionReplica> partition = leader(STATE_TOPIC);
        if (partition.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("this broker does not lead " + STATE_TOPIC));
        }
        try {
            RecordBatchBuilder batch = RecordBatchBuilder.create();
            long now = clock.nowMs();
            for (StateRecord record : records) {
                batch.add(now, null, StateRecordCodec.encode(record));
            }
            long offset = partition.get().appendInternal(batch.build()).lastOffset();
            return partition.get().awaitCommitted(offset + 1);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    Optional<PartitionReplica> leader(String topic) {
        return replicas.partition(new TopicPartition(topic, 0)).filter(PartitionReplica::isLeader);
    }

    /**
     * The partition of an existing topic once this broker leads it: after a restart its log may still be recovering.
     * Empty when the topic does not exist or another broker leads it.
     */
    Optional<PartitionReplica> awaitLeader(String topic) {
        if (replicas.image().topic(topic).isEmpty()) {
            return Optional.empty();
        }
        awaitLeadership(topic);
        return leader(topic);
    }

    /** Creates a one-partition topic kept forever unless it exists, and waits until this broker leads it. */
    void ensureTopic(String topic) {
        if (leader(topic).isPresent()) {
            return;
        }
        if (replicas.image().topic(topic).isEmpty()) {
            try {
                controller
                        .createTopics(
                                List.of(new NewTopic(topic, 1, (short) -1, Map.of(), Map.of("retention.ms", "-1"))),
                                false)
                        .get(CREATE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the log " + topic + ": " + e.getMessage(), e);
            }
        }
        awaitLeadership(topic);
    }

    private void awaitLeadership(String topic) {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CREATE_TIMEOUT_MS);
        while (leader(topic).isEmpty() && clock.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
