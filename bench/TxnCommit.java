import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Commit latency of Kafka transactions, for the txn test of bench/compare-kafka.sh (ProducerPerformance times each
 * record's acknowledgement, not the commit). One transactional producer runs {@code --transactions} transactions one
 * after the other, each of {@code --records-per-txn} records of {@code --record-size} random bytes spread round-robin
 * over the {@code --partitions} partitions of {@code --topic}, and times two steps of its end: {@code flush()}, until
 * every record of the transaction is acknowledged (acks=all), and then {@code commitTransaction()}, which with nothing
 * left to flush is the EndTxn round trip: the coordinator answers once the commit decision is durable. The whole of
 * the two is what an application waits for when it commits. The first {@code --warmup} transactions are not timed.
 *
 * <pre>
 * java -cp 'bench/work/kafka-libs/*' bench/TxnCommit.java --bootstrap-server 127.0.0.1:9092 --topic t \
 *     --partitions 6 --transactions 1000 --records-per-txn 100
 * </pre>
 *
 * <p>Output is one human-readable line and one {@code RESULT} line of key=value pairs (milliseconds) for scripts.
 */
public final class TxnCommit {

    private TxnCommit() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String bootstrap = require(opts, "bootstrap-server");
        String topic = require(opts, "topic");
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", "6"));
        int transactions = Integer.parseInt(opts.getOrDefault("transactions", "1000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "50"));
        int perTxn = Integer.parseInt(opts.getOrDefault("records-per-txn", "100"));
        int size = Integer.parseInt(opts.getOrDefault("record-size", "1024"));
        if (partitions < 1 || transactions < 1 || warmup < 0 || perTxn < 1) {
            usage("--partitions, --transactions and --records-per-txn must be positive, --warmup not negative");
        }

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, opts.getOrDefault("transactional-id", "bench-txn-commit"));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-txn-commit");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        byte[] value = new byte[size];
        new Random(42).nextBytes(value);
        long[] flushNanos = new long[transactions];
        long[] commitNanos = new long[transactions];
        long[] totalNanos = new long[transactions];
        long start = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            for (int t = -warmup; t < transactions; t++) {
                if (t == 0) {
                    start = System.nanoTime();
                }
                producer.beginTransaction();
                for (int r = 0; r < perTxn; r++) {
                    producer.send(new ProducerRecord<>(topic, r % partitions, null, value));
                }
                long before = System.nanoTime();
                producer.flush();
                long flushed = System.nanoTime();
                producer.commitTransaction();
                long committed = System.nanoTime();
                if (t >= 0) {
                    flushNanos[t] = flushed - before;
                    commitNanos[t] = committed - flushed;
                    totalNanos[t] = committed - before;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        double rate = transactions / seconds;
        System.out.printf("%d transactions of %d records: %.1f transactions/s%n", transactions, perTxn, rate);
        StringBuilder result = new StringBuilder("RESULT count=" + transactions + String.format(" txn_per_s=%.1f", rate));
        for (Map.Entry<String, long[]> step : List.of(
                Map.entry("flush", flushNanos), Map.entry("commit", commitNanos), Map.entry("total", totalNanos))) {
            long[] sorted = step.getValue().clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            double avg = sum / sorted.length / 1e6;
            double p50 = percentile(sorted, 50.0) / 1e6;
            double p99 = percentile(sorted, 99.0) / 1e6;
            double p999 = percentile(sorted, 99.9) / 1e6;
            double max = sorted[sorted.length - 1] / 1e6;
            String name = step.getKey();
            System.out.printf(
                    "  %-6s avg %.2f ms, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    name, avg, p50, p99, p999, max);
            result.append(String.format(
                    " %s_avg_ms=%.2f %s_p50_ms=%.2f %s_p99_ms=%.2f %s_p999_ms=%.2f %s_max_ms=%.2f",
                    name, avg, name, p50, name, p99, name, p999, name, max));
        }
        System.out.println(result);
    }

    /** Nearest-rank percentile of an ascending array. */
    private static long percentile(long[] sorted, double pct) {
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
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
        System.err.println("usage: TxnCommit --bootstrap-server HOST:PORT --topic TOPIC [--partitions 6]"
                + " [--transactions 1000] [--warmup 50] [--records-per-txn 100] [--record-size 1024]"
                + " [--transactional-id ID]");
        System.exit(2);
    }
}
