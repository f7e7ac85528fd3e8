import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Share group (queue) throughput and acknowledgement latency, used by bench/compare-kafka.sh.
 *
 * <p>Writes {@code --records} records of {@code --record-size} bytes to an existing topic, then lets
 * {@code --consumers} share consumers of one new share group (each on its own thread, acknowledging implicitly, as
 * {@code KafkaShareConsumer} does by default) take them all. Throughput is the number of records whose acceptance the
 * broker confirmed, divided by the time from the first record handed to a consumer to the last confirmation. Latency
 * is measured per record, from the {@code poll} that returned it to the acknowledgement commit callback that reported
 * its acceptance confirmed: the acquisition-to-acknowledgement time as an application sees it.
 *
 * <p>Run with JDK 17's single-file launcher and the Kafka client jars on the class path:
 *
 * <pre>
 * java -cp 'bench/work/kafka-libs/*' bench/ShareBench.java --bootstrap-server 127.0.0.1:9092 --topic t --group g
 * </pre>
 *
 * <p>Output is one human-readable line and one {@code RESULT} line of key=value pairs for scripts.
 */
public final class ShareBench {

    private ShareBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new ConcurrentHashMap<>(Map.of(
                "records", "200000", "record-size", "1024", "consumers", "4", "timeout-ms", "300000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        String bootstrap = opts.get("bootstrap-server");
        String topic = opts.get("topic");
        String group = opts.get("group");
        if (bootstrap == null || topic == null || group == null) {
            System.err.println("usage: ShareBench --bootstrap-server HOST:PORT --topic TOPIC --group GROUP"
                    + " [--records 200000] [--record-size 1024] [--consumers 4] [--timeout-ms 300000]");
            System.exit(2);
        }
        int records = Integer.parseInt(opts.get("records"));
        int size = Integer.parseInt(opts.get("record-size"));
        int consumers = Integer.parseInt(opts.get("consumers"));
        long timeoutMs = Long.parseLong(opts.get("timeout-ms"));

        Properties common = new Properties();
        common.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(common)) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, group),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        produce(common, topic, records, size);

        Run run = new Run(records);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            Thread thread = new Thread(() -> run.consume(common, group, topic), "share-bench-" + c);
            thread.start();
            threads.add(thread);
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (run.confirmed.get() < records && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        run.stop = true;
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        run.report(consumers, size);
    }

    private static void produce(Properties common, String topic, int records, int size) {
        Properties props = new Properties();
        props.putAll(common);
        props.put("acks", "1");
        props.put("linger.ms", "5");
        byte[] payload = new byte[size];
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, payload));
            }
            producer.flush();
        }
    }

    /** What the consumers of one run share: when records were handed out and when their acceptance came back. */
    private static final class Run {
        final int records;
        final AtomicLong confirmed = new AtomicLong();
        final AtomicLong firstPollNanos = new AtomicLong();
        final AtomicLong lastConfirmNanos = new AtomicLong();
        final Set<String> delivered = ConcurrentHashMap.newKeySet();
        final AtomicLong redeliveries = new AtomicLong();
        final long[] latencyNanos;
        final AtomicLong samples = new AtomicLong();
        volatile boolean stop;

        Run(int records) {
            this.records = records;
            this.latencyNanos = new long[records];
        }

        void consume(Properties common, String group, String topic) {
            Properties props = new Properties();
            props.putAll(common);
            props.put("group.id", group);
            Map<String, Long> polledAt = new ConcurrentHashMap<>();
            try (KafkaShareConsumer<byte[], byte[]> consumer =
                    new KafkaShareConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.setAcknowledgementCommitCallback((offsets, failure) -> {
                    long now = System.nanoTime();
                    offsets.forEach((partition, set) -> set.forEach(offset -> {
                        Long at = polledAt.remove(partition.partition() + ":" + offset);
                        if (failure == null && at != null) {
                            confirmed.incrementAndGet();
                            long slot = samples.getAndIncrement();
                            if (slot < latencyNanos.length) {
                                latencyNanos[(int) slot] = now - at;
                            }
                        }
                    }));
                    lastConfirmNanos.accumulateAndGet(now, Math::max);
                });
                consumer.subscribe(List.of(topic));
                while (!stop) {
                    long now = System.nanoTime();
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        firstPollNanos.compareAndSet(0, now);
                        String key = record.partition() + ":" + record.offset();
                        if (!delivered.add(key)) {
                            redeliveries.incrementAndGet();
                        }
                        polledAt.put(key, now);
                    }
                }
                consumer.commitSync(Duration.ofSeconds(30));
            }
        }

        void report(int consumers, int size) {
            long count = Math.min(samples.get(), latencyNanos.length);
            long[] sorted = new long[(int) count];
            System.arraycopy(latencyNanos, 0, sorted, 0, sorted.length);
            java.util.Arrays.sort(sorted);
            double seconds = (lastConfirmNanos.get() - firstPollNanos.get()) / 1e9;
            double perSecond = seconds > 0 ? confirmed.get() / seconds : 0;
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            double avg = sorted.length == 0 ? 0 : sum / sorted.length / 1000.0;
            System.out.printf(
                    "%d of %d records of %d B accepted by %d share consumers in %.2f s: %.0f records/s;"
                            + " acquisition to acknowledgement avg %.1f us, p50 %.1f us, p99 %.1f us;"
                            + " %d redelivered%n",
                    confirmed.get(), records, size, consumers, seconds, perSecond, avg, percentile(sorted, 50),
                    percentile(sorted, 99), redeliveries.get());
            System.out.printf(
                    "RESULT accepted=%d records_per_s=%.0f seconds=%.2f avg_us=%.1f p50_us=%.1f p99_us=%.1f"
                            + " p999_us=%.1f redelivered=%d%n",
                    confirmed.get(), perSecond, seconds, avg, percentile(sorted, 50), percentile(sorted, 99),
                    percentile(sorted, 99.9), redeliveries.get());
        }

        /** Nearest-rank percentile of an ascending array, in microseconds. */
        private static double percentile(long[] sorted, double pct) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
        }
    }
}
