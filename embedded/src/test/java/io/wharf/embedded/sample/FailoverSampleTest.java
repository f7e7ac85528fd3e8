package io.wharf.embedded.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.embedded.junit.WharfCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A project's failover test: three brokers in the test's JVM, a topic with three replicas, the leader killed between
 * two sends, and every acknowledged record read back from the new leader.
 */
@WharfCluster(brokers = 3, configs = "min.insync.replicas=2")
class FailoverSampleTest {

    @Test
    void acknowledgedRecordsSurviveTheLeadersKill(EmbeddedCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("payments", 1, (short) 3)))
                    .all()
                    .get();
        }
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("payments", "p-" + i, "before"))
                        .get();
            }
            int leader = cluster.leaderOf("payments", 0);
            cluster.kill(leader);
            for (int i = 5; i < 10; i++) {
                producer.send(new ProducerRecord<>("payments", "p-" + i, "after"))
                        .get();
            }
            assertThat(cluster.leaderOf("payments", 0)).isNotEqualTo(leader);
        }
        assertThat(readAll(cluster, 10))
                .extracting(ConsumerRecord::key)
                .containsExactly("p-0", "p-1", "p-2", "p-3", "p-4", "p-5", "p-6", "p-7", "p-8", "p-9");
    }

    private static KafkaProducer<String, String> producer(EmbeddedCluster cluster) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(EmbeddedCluster cluster, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("payments", 0);
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
