package io.wharf.embedded.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What a project's own test looks like: one annotation, the broker as a parameter, the plain Kafka Java client.
 * The project needs only {@code io.wharf:wharf-embedded} in test scope (and its own JUnit and kafka-clients).
 */
@WharfBroker(configs = "num.partitions=2")
class ProduceConsumeSampleTest {

    @Test
    void consumesWhatWasProduced(EmbeddedBroker broker) throws Exception {
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(broker)) {
            for (int i = 0; i < 10; i++) {
                sent.add(producer.send(new ProducerRecord<>("orders", i % 2, "order-" + i, "shipped"))
                        .get());
            }
        }
        assertThat(sent).extracting(RecordMetadata::offset).containsExactly(0L, 0L, 1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L);

        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(broker)) {
            List<TopicPartition> partitions = List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (keys.size() < 10 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                    assertThat(record.value()).isEqualTo("shipped");
                }
            }
        }
        assertThat(keys)
                .containsExactlyInAnyOrder(
                        "order-0", "order-1", "order-2", "order-3", "order-4", "order-5", "order-6", "order-7",
                        "order-8", "order-9");
    }

    @Test
    void theBrokerCreatesTopicsWithTheConfiguredPartitionCount(EmbeddedBroker broker) {
        try (KafkaProducer<String, String> producer = producer(broker)) {
            assertThat(producer.partitionsFor("invoices")).hasSize(2);
        }
    }

    private static KafkaProducer<String, String> producer(EmbeddedBroker broker) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedBroker broker) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }
}
