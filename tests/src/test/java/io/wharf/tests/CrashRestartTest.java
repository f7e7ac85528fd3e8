package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process killed with SIGKILL in the middle of an acks=all produce load, twice, and started again: every
 * acknowledged record must be there at the offset it was acknowledged with, offsets must continue, and the topic and
 * its configs must survive.
 */
class CrashRestartTest {

    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    @Test
    void nothingAcknowledgedIsLostWhenTheBrokerIsKilled() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        try (BrokerProcess broker = new BrokerProcess(data, List.of())) {
            broker.start();
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)
                                .configs(Map.of("retention.ms", "123456789"))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread load = new Thread(() -> produce(broker, producing, acknowledged), "crash-load");
            load.start();
            for (int crash = 0; crash < 2; crash++) {
                waitForMoreAcks(acknowledged, 2000);
                broker.kill();
                Thread.sleep(300);
                broker.start();
            }
            waitForMoreAcks(acknowledged, 2000);
            producing.set(false);
            load.join(120_000);

            Map<String, String> stored = readAll(broker);
            assertThat(stored).containsAllEntriesOf(acknowledged);
            try (Admin admin = admin(broker)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
                Config config = admin.describeConfigs(List.of(resource))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(resource);
                assertThat(config.get("retention.ms").value()).isEqualTo("123456789");
                assertThat(admin.describeTopics(List.of(TOPIC))
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .get(TOPIC)
                                .partitions())
                        .hasSize(PARTITIONS);
            }
        }
    }

    private static Admin admin(BrokerProcess broker) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(properties);
    }

    /** Sends until told to stop, recording "partition:offset" → value for every acknowledged record. */
    private static void produce(BrokerProcess broker, AtomicBoolean producing, Map<String, String> acknowledged) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; producing.get(); i++) {
                String value = "value-" + i;
                producer.send(
                        new ProducerRecord<>(TOPIC, (int) (i % PARTITIONS), null, value.getBytes(UTF_8)),
                        (metadata, error) -> {
                            if (error == null) {
                                acknowledged.put(metadata.partition() + ":" + metadata.offset(), value);
                            }
                        });
                if (i % 100 == 99) {
                    producer.flush();
                }
            }
            producer.flush();
        }
    }

    private static void waitForMoreAcks(Map<String, String> acknowledged, int more) throws InterruptedException {
        int target = acknowledged.size() + more;
        long deadline = System.currentTimeMillis() + 120_000;
        while (acknowledged.size() < target && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(acknowledged.size()).as("acknowledgements keep coming").isGreaterThanOrEqualTo(target);
    }

    private static Map<String, String> readAll(BrokerProcess broker) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        Map<String, String> stored = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = record.partition() + ":" + record.offset();
                    assertThat(stored.put(key, new String(record.value(), UTF_8)))
                            .as("offset %s holds one value", key)
                            .isNull();
                }
            }
        }
        return stored;
    }
}
