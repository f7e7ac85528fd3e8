import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Failover time of a Kafka-protocol cluster, as a client with default settings sees it: writes acks=all to partition 0
 * of a topic, one at a time, SIGKILLs the broker leading that partition (its pid given as --pids id=pid,...), and
 * measures from the kill to the first write acknowledged after it. Prints one line:
 * {@code RESULT failover_ms=... leader=... new_leader=...}.
 */
public final class FailoverTime {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String bootstrap = options.get("bootstrap-server");
        String topic = options.get("topic");
        Map<Integer, Long> pids = new java.util.HashMap<>();
        for (String pair : options.get("pids").split(",")) {
            String[] kv = pair.split("=");
            pids.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
        }
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        byte[] value = new byte[100];
        try (Admin admin = Admin.create(a);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, value)).get(60, TimeUnit.SECONDS);
            }
            int leader = leader(admin, topic);
            ProcessHandle victim = ProcessHandle.of(pids.get(leader))
                    .orElseThrow(() -> new IllegalStateException("no process for broker " + leader));
            long killed = System.nanoTime();
            victim.destroyForcibly();
            producer.send(new ProducerRecord<>(topic, 0, null, value)).get(180, TimeUnit.SECONDS);
            long acked = System.nanoTime();
            int now = leader(admin, topic);
            System.out.printf("RESULT failover_ms=%d leader=%d new_leader=%d%n",
                    TimeUnit.NANOSECONDS.toMillis(acked - killed), leader, now);
            admin.close(Duration.ofSeconds(5));
        }
    }

    private static int leader(Admin admin, String topic) throws Exception {
        return admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                .get(topic).partitions().get(0).leader().id();
    }
}
