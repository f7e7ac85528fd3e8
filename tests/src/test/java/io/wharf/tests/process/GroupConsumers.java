package io.wharf.tests.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One consumer of a group on a thread of its own, noting every value it got. A consumer-group member (classic or
 * KIP-848 protocol) commits what it has read after every poll, and resets to the <em>latest</em> offset when it
 * finds no committed one: a committed offset lost in a coordinator failover shows up as records skipped, not read
 * twice. A share-group member accepts every record and notes which acceptances the broker confirmed.
 *
 * <p>The sets may be read while it runs.
 */
final class GroupConsumers implements AutoCloseable {

    final Set<String> received = ConcurrentHashMap.newKeySet();
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    /** The last reason an acknowledgement of a partition was not confirmed. */
    final Map<Integer, String> failures = new ConcurrentHashMap<>();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean committed = new AtomicBoolean();
    private final Thread thread;

    private GroupConsumers(String name, Runnable body) {
        thread = new Thread(body, name);
        thread.setDaemon(true);
    }

    /** A member of consumer group {@code group}, with {@code protocol} "classic" or "consumer" (KIP-848). */
    static GroupConsumers consumerGroup(String bootstrap, String group, String protocol, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        if (protocol.equals("classic")) {
            properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
            properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        GroupConsumers[] self = new GroupConsumers[1];
        self[0] = new GroupConsumers("consumer-" + group, () -> self[0].consume(properties, topic));
        self[0].thread.start();
        return self[0];
    }

    /** A member of share group {@code group}. */
    static GroupConsumers shareGroup(String bootstrap, String group, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put("share.acknowledgement.mode", "explicit");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        GroupConsumers[] self = new GroupConsumers[1];
        self[0] = new GroupConsumers("share-consumer-" + group, () -> self[0].share(properties, topic));
        self[0].thread.start();
        return self[0];
    }

    private void consume(Properties properties, String topic) {
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        received.add(record.value());
                    }
                    if (!consumer.assignment().isEmpty()) {
                        // Every poll, records or not: the first commit pins the group's start at the latest offsets.
                        consumer.commitSync(Duration.ofSeconds(10));
                        committed.set(true);
                    }
                } catch (KafkaException retried) {
                    // A coordinator or leader moved: what was not committed is read again.
                }
            }
        }
    }

    private void share(Properties properties, String topic) {
        try (KafkaShareConsumer<String, String> consumer =
                new KafkaShareConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                try {
                    Map<Integer, List<String>> byPartition = new ConcurrentHashMap<>();
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        received.add(record.value());
                        byPartition
                                .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                                .add(record.value());
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    }
                    committed.set(true);
                    if (byPartition.isEmpty()) {
                        continue;
                    }
                    Map<TopicIdPartition, Optional<KafkaException>> results =
                            consumer.commitSync(Duration.ofSeconds(10));
                    results.forEach((partition, failure) -> {
                        if (failure.isEmpty()) {
                            accepted.addAll(byPartition.getOrDefault(partition.partition(), List.of()));
                        } else {
                            failures.put(partition.partition(), failure.get().toString());
                        }
                    });
                    byPartition.keySet().forEach(p -> {
                        if (results.keySet().stream().noneMatch(tip -> tip.partition() == p)) {
                            failures.put(p, "no acknowledgement result");
                        }
                    });
                } catch (KafkaException retried) {
                    // Not confirmed: delivered again once the lock runs out.
                }
            }
        }
    }

    String name() {
        return thread.getName();
    }

    /** Whether the consumer has polled with an assignment (and, in a consumer group, committed) at least once. */
    boolean started() {
        return committed.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(TimeUnit.SECONDS.toMillis(60));
    }
}
