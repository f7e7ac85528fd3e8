import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Run by LegacyClientTest in a JVM whose classpath holds an older kafka-clients: creates a topic, produces with the
 * client's defaults (idempotent, acks=all), consumes everything back, and prints "OK <count>" or fails.
 */
public class LegacyClientCheck {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int count = Integer.parseInt(args[1]);
        Properties common = new Properties();
        common.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic("legacy", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("legacy")) {
                throw new IllegalStateException("topic not listed");
            }
        }
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("legacy", "k" + i, "v" + i));
            }
            producer.flush();
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(common, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(
                    new TopicPartition("legacy", 0), new TopicPartition("legacy", 1), new TopicPartition("legacy", 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (values.size() < count && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!record.value().equals("v" + record.key().substring(1))) {
                        throw new IllegalStateException("key " + record.key() + " came with " + record.value());
                    }
                    values.add(record.value());
                }
            }
        }
        if (values.size() != count) {
            throw new IllegalStateException("consumed " + values.size() + " of " + count);
        }
        System.out.println("OK " + values.size());
    }
}
