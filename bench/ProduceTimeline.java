import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produce throughput over time, for the produce-while-cleaning test of bench/compare-kafka.sh: sends records of
 * {@code --record-size} random bytes without keys to {@code --topic} as fast as the producer takes them ({@code
 * --acks}, client defaults otherwise), and counts the acknowledgements per {@code --bucket-ms} of wall-clock time, until
 * {@code --stop-file} exists (or {@code --max-seconds} passed). A script can then compare the rate inside a window it
 * learns elsewhere (a cleaning pass in the broker's log) with the rate outside it, both from the same run.
 *
 * <pre>
 * java -cp 'bench/work/kafka-libs/*' bench/ProduceTimeline.java --bootstrap-server 127.0.0.1:9092 --topic t \
 *     --stop-file /tmp/stop
 * </pre>
 *
 * <p>Prints one {@code RESULT} line: {@code start_ms} (epoch milliseconds of bucket 0), {@code bucket_ms}, and {@code
 * counts}, the acknowledgements of each bucket, comma-separated.
 */
public final class ProduceTimeline {

    private ProduceTimeline() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String bootstrap = require(opts, "bootstrap-server");
        String topic = require(opts, "topic");
        Path stopFile = Path.of(require(opts, "stop-file"));
        int size = Integer.parseInt(opts.getOrDefault("record-size", "1024"));
        int bucketMs = Integer.parseInt(opts.getOrDefault("bucket-ms", "100"));
        int maxSeconds = Integer.parseInt(opts.getOrDefault("max-seconds", "300"));
        if (bucketMs < 1 || maxSeconds < 1) {
            usage("--bucket-ms and --max-seconds must be positive");
        }

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, opts.getOrDefault("acks", "all"));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-produce-timeline");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        byte[] value = new byte[size];
        new Random(42).nextBytes(value);
        AtomicLongArray counts = new AtomicLongArray(maxSeconds * 1000 / bucketMs + 1);
        long startMs = System.currentTimeMillis();
        long endMs = startMs + maxSeconds * 1000L;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            long nextCheck = 0;
            while (true) {
                long now = System.currentTimeMillis();
                if (now >= nextCheck) {
                    if (Files.exists(stopFile) || now >= endMs) {
                        break;
                    }
                    nextCheck = now + bucketMs;
                }
                producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                    if (error != null) {
                        System.err.println("send failed: " + error);
                        System.exit(1);
                    }
                    long bucket = (System.currentTimeMillis() - startMs) / bucketMs;
                    counts.incrementAndGet((int) Math.min(bucket, counts.length() - 1));
                });
                sent++;
            }
            producer.flush();
        }
        int last = (int) Math.min((System.currentTimeMillis() - startMs) / bucketMs, counts.length() - 1);
        List<String> values = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            values.add(Long.toString(counts.get(i)));
        }
        System.out.printf(
                "%d records of %d B acknowledged over %.1f s%n",
                sent, size, (System.currentTimeMillis() - startMs) / 1000.0);
        System.out.printf(
                "RESULT records=%d start_ms=%d bucket_ms=%d counts=%s%n",
                sent, startMs, bucketMs, String.join(",", values));
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                usage("unexpected argument: " + arg);
            }
            opts.put(arg.substring(2), args[++i]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String key) {
        String value = opts.get(key);
        if (value == null) {
            usage("missing --" + key);
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: ProduceTimeline --bootstrap-server HOST:PORT --topic TOPIC --stop-file PATH"
                + " [--record-size 1024] [--acks all] [--bucket-ms 100] [--max-seconds 300]");
        System.exit(2);
    }
}
