package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share consumers and brokers that die: a consumer killed (SIGKILL) while it holds records has them delivered to
 * the others once its locks run out, counted as another delivery; a broker killed in the middle of a share load loses
 * no acknowledgement it confirmed and no record.
 */
class ShareFailoverTest {

    @TempDir
    Path dir;

    @Test
    void aKilledConsumersRecordsAreRedeliveredAfterTheLockDuration() throws Exception {
        try (TestBroker broker = TestBroker.start(ShareGroupTest.BROKER_SETTINGS);
                Admin admin = broker.admin()) {
            String topic = "killed";
            String group = "killed-group";
            ShareGroupTest.createTopic(admin, topic, 1);
            ShareGroupTest.setGroupConfigs(
                    admin,
                    group,
                    Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "2000"));
            ConsumerGroupTest.produceTo(broker, topic, 0, 50);

            Map<String, Integer> childGot = new ConcurrentHashMap<>();
            AtomicBoolean holding = new AtomicBoolean();
            Process child = ChildJvm.start(
                    ChildShareConsumer.class,
                    line -> {
                        if (line.startsWith("GOT ")) {
                            String[] parts = line.split(" ");
                            childGot.put(parts[1], Integer.parseInt(parts[2]));
                        } else if (line.equals("HOLDING")) {
                            holding.set(true);
                        }
                    },
                    broker.bootstrapServers(),
                    group,
                    topic);
            Map<String, Short> survivorGot = new ConcurrentHashMap<>();
            try {
                await().atMost(Duration.ofSeconds(60)).untilTrue(holding);
                assertThat(childGot)
                        .isNotEmpty()
                        .allSatisfy((value, count) -> assertThat(count).isEqualTo(1));
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

                try (KafkaShareConsumer<byte[], byte[]> survivor = broker.shareConsumer(group, Map.of())) {
                    survivor.subscribe(List.of(topic));
                    await().atMost(Duration.ofSeconds(60)).until(() -> {
                        for (ConsumerRecord<byte[], byte[]> record : survivor.poll(Duration.ofMillis(100))) {
                            survivorGot.put(
                                    new String(record.value(), UTF_8),
                                    record.deliveryCount().orElseThrow());
                        }
                        return survivorGot.size() == 50;
                    });
                }
            } finally {
                child.destroyForcibly();
            }
            childGot.keySet()
                    .forEach(value -> assertThat(survivorGot.get(value))
                            .as("%s was held by the killed consumer", value)
                            .isEqualTo((short) 2));
            survivorGot.forEach((value, count) -> {
                if (!childGot.containsKey(value)) {
                    assertThat(count)
                            .as("%s was never held by the killed consumer", value)
                            .isEqualTo((short) 1);
                }
            });
        }
    }

    @Test
    void aBrokerKilledMidwayLosesNoAcknowledgementAndNoRecord() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> overrides = new ArrayList<>();
        ShareGroupTest.BROKER_SETTINGS.forEach((k, v) -> overrides.add(k + "=" + v));
        String topic = "crashing";
        String group = "crashing-group";
        int total = 400;
        try (BrokerProcess broker = new BrokerProcess(data, overrides)) {
            broker.start();
            try (Admin admin = admin(broker)) {
                ShareGroupTest.createTopic(admin, topic, 2);
                ShareGroupTest.setGroupConfigs(
                        admin,
                        group,
                        Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "2000"));
            }
            produce(broker, topic, total);

            ShareLoad load = new ShareLoad(total / 4);
            Thread consumerThread = new Thread(() -> load.consume(broker, group, topic));
            consumerThread.start();
            try {
                assertThat(load.holding.await(60, TimeUnit.SECONDS)).isTrue();
                broker.kill();
                broker.start();
                load.resume.countDown();
                await().atMost(Duration.ofSeconds(90)).until(() -> load.confirmed.size() == total);
            } finally {
                load.stop.set(true);
                load.resume.countDown();
                consumerThread.join(60_000);
            }
            assertThat(load.received).as("every record was delivered").hasSize(total);
            assertThat(load.heldAcrossTheCrash)
                    .as("records were in flight when the broker died")
                    .isNotEmpty();
            synchronized (load.redeliveredAfterConfirmation) {
                assertThat(load.redeliveredAfterConfirmation)
                        .as("no record whose acceptance was confirmed came back")
                        .isEmpty();
            }
        }
    }

    /**
     * A share consumer that accepts every record it gets, one commitSync per poll; a value whose partition's commit
     * succeeded is confirmed and must never be delivered again. Once {@code holdAfter} are confirmed, it holds the next
     * records it acquires, unacknowledged, until told to resume: the broker dies while they are in flight.
     */
    private static final class ShareLoad {
        final Set<String> confirmed = ConcurrentHashMap.newKeySet();
        final Set<String> received = ConcurrentHashMap.newKeySet();
        final Set<String> heldAcrossTheCrash = ConcurrentHashMap.newKeySet();
        final List<String> redeliveredAfterConfirmation = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final int holdAfter;
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);

        ShareLoad(int holdAfter) {
            this.holdAfter = holdAfter;
        }

        void consume(BrokerProcess broker, String group, String topic) {
            Properties properties = new Properties();
            properties.put("bootstrap.servers", broker.bootstrapServers());
            properties.put("group.id", group);
            properties.put("share.acknowledgement.mode", "explicit");
            properties.put("share.acquire.mode", "record_limit");
            properties.put("max.poll.records", "20");
            try (KafkaShareConsumer<byte[], byte[]> consumer =
                    new KafkaShareConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!stop.get()) {
                    try {
                        pollOnce(consumer);
                    } catch (KafkaException broken) {
                        // The broker is down or just came back: what was not confirmed is delivered again.
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        private void pollOnce(KafkaShareConsumer<byte[], byte[]> consumer) throws InterruptedException {
            Map<Integer, List<String>> byPartition = new ConcurrentHashMap<>();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            if (!records.isEmpty() && confirmed.size() >= holdAfter && holding.getCount() > 0) {
                records.forEach(r -> heldAcrossTheCrash.add(new String(r.value(), UTF_8)));
                holding.countDown();
                resume.await();
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String value = new String(record.value(), UTF_8);
                if (confirmed.contains(value)) {
                    synchronized (redeliveredAfterConfirmation) {
                        redeliveredAfterConfirmation.add(value);
                    }
                }
                received.add(value);
                byPartition
                        .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                        .add(value);
                consumer.acknowledge(record, AcknowledgeType.ACCEPT);
            }
            Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(Duration.ofSeconds(5));
            results.forEach((partition, failure) -> {
                if (failure.isEmpty()) {
                    confirmed.addAll(byPartition.getOrDefault(partition.partition(), List.of()));
                }
            });
        }
    }

    private static Admin admin(BrokerProcess broker) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(properties);
    }

    private static void produce(BrokerProcess broker, String topic, int count) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", broker.bootstrapServers());
        properties.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8)));
            }
            producer.flush();
        }
    }
}
