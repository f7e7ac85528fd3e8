package io.wharf.tests;

import io.wharf.metadata.record.ConfigRecord;
import io.wharf.server.Broker;
import io.wharf.server.config.BrokerConfig;
import io.wharf.storage.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A broker on a free port in a temporary directory, in this JVM, with helpers that make real Kafka clients for it.
 * Restartable on the same directory; the directory is deleted on close.
 */
final class TestBroker implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    private Broker broker;

    private TestBroker(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = overrides;
    }

    static TestBroker start() throws Exception {
        return start(Map.of());
    }

    static TestBroker start(Map<String, String> overrides) throws Exception {
        TestBroker testBroker = new TestBroker(Files.createTempDirectory("wharf-it"), overrides);
        testBroker.startBroker();
        return testBroker;
    }

    private void startBroker() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.putAll(overrides);
        broker = Broker.start(BrokerConfig.parse(settings));
    }

    /** Stops the broker gracefully and starts it again on the same data (on a new port). */
    void restart() throws Exception {
        broker.close();
        startBroker();
    }

    Broker broker() {
        return broker;
    }

    /** The configuration partition 0 of {@code topic} runs with, as its log sees it. */
    LogConfig logConfig(String topic) {
        return broker.services()
                .replicas()
                .partition(new io.wharf.common.TopicPartition(topic, 0))
                .orElseThrow()
                .log()
                .config();
    }

    /** The configs set explicitly on a topic or broker, as the metadata image holds them. */
    Map<String, String> explicitConfigs(ConfigRecord.ResourceType type, String name) {
        return broker.services().replicas().image().configs(type, name);
    }

    Path dataDir() {
        return dataDir;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    KafkaProducer<byte[], byte[]> producer(Map<String, Object> settings) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.putAll(settings);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> settings) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putAll(settings);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    KafkaShareConsumer<byte[], byte[]> shareConsumer(String group, Map<String, Object> settings) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.putAll(settings);
        return new KafkaShareConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(properties);
    }

    @Override
    public void close() throws IOException {
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
