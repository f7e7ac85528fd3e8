import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency probe with microsecond resolution, used by bench/compare-kafka.sh.
 *
 * <p>One round trip: the producer ({@code --acks}, 1 unless told, linger.ms=0) sends a single record and blocks until
 * the broker acknowledges it, then a consumer that is assigned every partition of the topic polls until that very record comes back. The time
 * from just before the send to the moment the record is seen is one sample. Partitions are used in turn so that every
 * partition is exercised. The first {@code --warmup} round trips are thrown away.
 *
 * <p>Run with JDK 17's single-file launcher and the Kafka client jars on the class path:
 *
 * <pre>
 * java -cp 'bench/work/kafka-libs/*' bench/E2eLatency.java --bootstrap-server 127.0.0.1:9092 --topic t
 * </pre>
 *
 * <p>Output is one human-readable line and one {@code RESULT} line of key=value pairs (microseconds) for scripts.
 */
public final class E2eLatency {

    private E2eLatency() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String bootstrap = require(opts, "bootstrap-server");
        String topic = require(opts, "topic");
        int iterations = Integer.parseInt(opts.getOrDefault("iterations", "10000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "1000"));
        int size = Integer.parseInt(opts.getOrDefault("record-size", "100"));
        long timeoutMs = Long.parseLong(opts.getOrDefault("timeout-ms", "30000"));
        if (size < Long.BYTES) {
            throw new IllegalArgumentException("--record-size must be at least " + Long.BYTES);
        }

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, opts.getOrDefault("acks", "1"));
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "e2e-latency-producer");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "0");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "e2e-latency-consumer");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps)) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic, timeoutMs);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolve the end offsets now, so the first timed round trip does not pay for the lookup.
            for (TopicPartition tp : partitions) {
                consumer.position(tp, Duration.ofMillis(timeoutMs));
            }

            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) 'x');
            long[] samples = new long[iterations];
            int total = warmup + iterations;
            for (long seq = 0; seq < total; seq++) {
                ByteBuffer.wrap(payload).putLong(seq);
                TopicPartition tp = partitions.get((int) (seq % partitions.size()));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, tp.partition(), null, payload);

                long start = System.nanoTime();
                producer.send(record).get();
                awaitRecord(consumer, seq, start, timeoutMs);
                long elapsed = System.nanoTime() - start;

                if (seq >= warmup) {
                    samples[(int) (seq - warmup)] = elapsed;
                }
            }
            report(samples);
        }
    }

    /** Polls until the record carrying {@code seq} in its first eight bytes has been consumed. */
    private static void awaitRecord(KafkaConsumer<byte[], byte[]> consumer, long seq, long start, long timeoutMs) {
        long deadline = start + timeoutMs * 1_000_000L;
        while (true) {
            for (ConsumerRecord<byte[], byte[]> received : consumer.poll(Duration.ofMillis(100))) {
                byte[] value = received.value();
                if (value != null && value.length >= Long.BYTES) {
                    long got = ByteBuffer.wrap(value).getLong();
                    if (got == seq) {
                        return;
                    }
                    if (got > seq) {
                        throw new IllegalStateException("received record " + got + " while waiting for " + seq);
                    }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("record " + seq + " not received within " + timeoutMs + " ms");
            }
        }
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs));
            if (infos != null && !infos.isEmpty() && infos.stream().allMatch(p -> p.leader() != null)) {
                List<TopicPartition> result = new ArrayList<>();
                for (PartitionInfo info : infos) {
                    result.add(new TopicPartition(topic, info.partition()));
                }
                result.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
                return result;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("topic " + topic + " has no partitions with leaders");
            }
            Thread.sleep(100);
        }
    }

    private static void report(long[] samplesNanos) {
        long[] sorted = samplesNanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        double avg = sum / sorted.length / 1000.0;
        double p50 = percentile(sorted, 50.0) / 1000.0;
        double p99 = percentile(sorted, 99.0) / 1000.0;
        double p999 = percentile(sorted, 99.9) / 1000.0;
        double max = sorted[sorted.length - 1] / 1000.0;
        System.out.printf(
                "%d round trips: avg %.1f us, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us%n",
                sorted.length, avg, p50, p99, p999, max);
        System.out.printf(
                "RESULT count=%d avg_us=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f%n",
                sorted.length, avg, p50, p99, p999, max);
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
        System.err.println("usage: E2eLatency --bootstrap-server HOST:PORT --topic TOPIC"
                + " [--iterations 10000] [--warmup 1000] [--record-size 100] [--acks 1] [--timeout-ms 30000]");
        System.exit(2);
    }
}
