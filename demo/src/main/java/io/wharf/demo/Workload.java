package io.wharf.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo's three clients, each on its own thread: an idempotent {@code acks=all} producer that sends numbered
 * records at a steady rate and remembers where each acknowledged one went, a consumer group member and a share group
 * consumer that note every number they get. The counters are what the screen shows; the sets are what the check
 * compares.
 */
final class Workload implements AutoCloseable {

    static final String GROUP = "demo-group";
    static final String SHARE_GROUP = "demo-share-group";

    /** Where the broker said an acknowledged record is. */
    record Placement(int partition, long offset) {}

    final AtomicLong produced = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong shareAcknowledged = new AtomicLong();
    final Map<Long, Placement> acknowledged = new ConcurrentHashMap<>();
    final Set<Long> consumedIds = ConcurrentHashMap.newKeySet();
    final Set<Long> shareIds = ConcurrentHashMap.newKeySet();

    private final String bootstrap;
    private final String topic;
    private final int recordsPerSecond;
    private final AtomicLong lastError = new AtomicLong();
    private volatile String lastErrorText = "";
    private volatile boolean producing = true;
    private volatile boolean running = true;
    private final List<Thread> threads;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile KafkaShareConsumer<String, String> shareConsumer;

    Workload(String bootstrap, String topic, int recordsPerSecond) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.recordsPerSecond = recordsPerSecond;
        this.threads = List.of(
                new Thread(this::produce, "demo-producer"),
                new Thread(this::consume, "demo-consumer"),
                new Thread(this::shareConsume, "demo-share-consumer"));
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** Stops sending; the consumers go on until {@link #close}. Waits for the producer's last answers. */
    void stopProducing() throws InterruptedException {
        producing = false;
        threads.get(0).join(TimeUnit.MINUTES.toMillis(3));
    }

    /** The last send error, if one happened in the last few seconds. */
    String recentError() {
        return System.currentTimeMillis() - lastError.get() < 3_000 ? lastErrorText : "";
    }

    private void produce() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            long next = 0;
            long start = System.nanoTime();
            while (producing && running) {
                long due = (System.nanoTime() - start) * recordsPerSecond / 1_000_000_000L;
                while (next < due && producing) {
                    long id = next++;
                    producer.send(new ProducerRecord<>(topic, "customer-" + (id % 100), Long.toString(id)), (m, e) -> {
                        if (e == null) {
                            acknowledged.put(id, new Placement(m.partition(), m.offset()));
                            produced.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            lastErrorText = e.getClass().getSimpleName();
                            lastError.set(System.currentTimeMillis());
                        }
                    });
                }
                Thread.sleep(10);
            }
            producer.flush();
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties consumerProps(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return props;
    }

    private void consume() {
        Properties props = consumerProps(GROUP);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer = c;
            c.subscribe(List.of(topic));
            while (running) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                    consumedIds.add(Long.parseLong(record.value()));
                    consumed.incrementAndGet();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // Closing.
        }
    }

    private void shareConsume() {
        Properties props = consumerProps(SHARE_GROUP);
        props.put("share.acknowledgement.mode", "explicit");
        try (KafkaShareConsumer<String, String> c =
                new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            shareConsumer = c;
            c.subscribe(List.of(topic));
            while (running) {
                try {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                        c.acknowledge(record, AcknowledgeType.ACCEPT);
                        if (shareIds.add(Long.parseLong(record.value()))) {
                            shareAcknowledged.incrementAndGet();
                        }
                    }
                    c.commitSync(Duration.ofSeconds(10));
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A broker went away under the share consumer; unacknowledged records come back to it.
                    lastErrorText = "share consumer: " + e.getClass().getSimpleName();
                    lastError.set(System.currentTimeMillis());
                }
            }
        } catch (WakeupException | InterruptException e) {
            // Closing.
        }
    }

    @Override
    public void close() throws InterruptedException {
        producing = false;
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        KafkaShareConsumer<String, String> s = shareConsumer;
        if (s != null) {
            s.wakeup();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
