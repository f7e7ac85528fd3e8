package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void producesAndConsumesWithDefaultClients() throws Exception {
        try (TestBroker broker = TestBroker.start();
                Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("smoke", 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
                for (int i = 0; i < 100; i++) {
                    RecordMetadata metadata = producer.send(new ProducerRecord<>(
                                    "smoke", i % 3, ("k" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8)))
                            .get(30, TimeUnit.SECONDS);
                    assertThat(metadata.offset()).isEqualTo(i / 3);
                }
            }
            try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
                List<TopicPartition> partitions = List.of(
                        new TopicPartition("smoke", 0), new TopicPartition("smoke", 1), new TopicPartition("smoke", 2));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<String> values = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 100 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        values.add(new String(record.value(), UTF_8));
                    }
                }
                assertThat(values).hasSize(100);
            }
        }
    }
}
