import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a keyed log for the cleaner test of bench/compare-kafka.sh: {@code --records} records of {@code
 * --record-size} random (incompressible) bytes, uncompressed, acks=1, to partition 0 of {@code --topic}, where a
 * {@code --duplicates} fraction of the records repeat a key written before. Record {@code i} has key {@code i mod
 * distinct}, {@code distinct = records x (1 - duplicates)}, so the repeats come after every key was written once and a
 * cleaned log holds {@code distinct} records.
 *
 * <pre>
 * java -cp 'bench/work/kafka-libs/*' bench/KeyedProduce.java --bootstrap-server 127.0.0.1:9092 --topic t \
 *     --records 262144 --duplicates 0.9
 * </pre>
 *
 * <p>Prints one {@code RESULT} line of key=value pairs for scripts.
 */
public final class KeyedProduce {

    private static final int PAYLOADS = 1024;

    private KeyedProduce() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String bootstrap = require(opts, "bootstrap-server");
        String topic = require(opts, "topic");
        long records = Long.parseLong(opts.getOrDefault("records", "262144"));
        int size = Integer.parseInt(opts.getOrDefault("record-size", "1024"));
        double duplicates = Double.parseDouble(opts.getOrDefault("duplicates", "0.1"));
        if (records < 1 || duplicates < 0 || duplicates >= 1) {
            usage("--records must be positive and --duplicates in [0, 1)");
        }
        long distinct = Math.max(1, Math.round(records * (1 - duplicates)));

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-keyed-produce");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        Random random = new Random(42);
        byte[][] payloads = new byte[PAYLOADS][size];
        for (byte[] payload : payloads) {
            random.nextBytes(payload);
        }
        long start = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records; i++) {
                byte[] key = String.format("key-%012d", i % distinct).getBytes(StandardCharsets.US_ASCII);
                byte[] value = payloads[(int) (i % PAYLOADS)];
                bytes += key.length + value.length;
                producer.send(new ProducerRecord<>(topic, 0, key, value), (metadata, error) -> {
                    if (error != null) {
                        System.err.println("send failed: " + error);
                        System.exit(1);
                    }
                });
            }
            producer.flush();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "%d records (%d distinct keys, %.1f MB of keys and values) in %d ms%n", records, distinct, bytes / 1e6, ms);
        System.out.printf("RESULT records=%d distinct=%d bytes=%d ms=%d%n", records, distinct, bytes, ms);
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
        System.err.println("usage: KeyedProduce --bootstrap-server HOST:PORT --topic TOPIC"
                + " [--records 262144] [--record-size 1024] [--duplicates 0.1]");
        System.exit(2);
    }
}
