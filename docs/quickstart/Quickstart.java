import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The README's quickstart with the Kafka Java client: send three records to topic "quickstart" and read them back.
 * Plain kafka-clients code; nothing in it is specific to Wharf. Run it from the repository root with
 *
 *   java -cp 'dist/target/wharf/libs/*' docs/quickstart/Quickstart.java [BOOTSTRAP_SERVERS]
 */
public class Quickstart {

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        Map<String, Object> settings = Map.of("bootstrap.servers", bootstrap);
        TopicPartition partition = new TopicPartition("quickstart", 0);

        try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            long firstOffset = -1;
            for (int i = 1; i <= 3; i++) {
                RecordMetadata sent = producer.send(new ProducerRecord<>("quickstart", 0, "key-" + i, "hello " + i))
                        .get();
                System.out.printf("sent key-%d to partition %d at offset %d%n", i, sent.partition(), sent.offset());
                firstOffset = firstOffset < 0 ? sent.offset() : firstOffset;
            }

            consumer.assign(List.of(partition));
            consumer.seek(partition, firstOffset);
            int received = 0;
            while (received < 3) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    System.out.printf("received %s: %s (offset %d)%n", record.key(), record.value(), record.offset());
                    received++;
                }
            }
        }
    }
}
