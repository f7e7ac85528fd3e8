package io.wharf.tests.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent {@code acks=all} producer on a thread of its own, writing unique values ({@code <prefix><n>}) round-robin
 * over a topic's partitions at a modest rate, and recording for every acknowledged record where it was acknowledged:
 * {@code (partition, offset) → value}. Failed sends are counted and kept, never retried by the test (the producer
 * retries within its delivery timeout), so a value is in the log at most once if idempotence holds.
 *
 * <p>{@link #acknowledged} may be read while the load runs; after {@link #close()} it is final.
 */
final class AckedLoad implements AutoCloseable {

    /** An acknowledged record's place. */
    record Place(int partition, long offset) {}

    final Map<Place, String> acknowledged = new ConcurrentHashMap<>();
    final List<String> failures = new ArrayList<>();

    private final String prefix;
    private final String topic;
    private final int partitions;
    private final Properties properties = new Properties();
    private static final long CLOSE_TIMEOUT_SECONDS = 60;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /**
     * @param prefix what every value starts with, so that two loads on one topic never write the same value
     * @param settings producer settings over the defaults
     */
    AckedLoad(String bootstrap, String topic, int partitions, String prefix, Map<String, Object> settings) {
        this.prefix = prefix;
        this.topic = topic;
        this.partitions = partitions;
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.putAll(settings);
        thread = new Thread(this::produce, "acked-load-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    AckedLoad(String bootstrap, String topic, int partitions) {
        this(bootstrap, topic, partitions, "v", Map.of());
    }

    private void produce() {
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        try {
            for (long n = 0; running.get(); n++) {
                String value = prefix + n;
                int partition = (int) (n % partitions);
                producer.send(new ProducerRecord<>(topic, partition, null, value), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.put(new Place(metadata.partition(), metadata.offset()), value);
                    } else {
                        synchronized (failures) {
                            failures.add(value + ": " + error);
                        }
                    }
                });
                if (n % 50 == 49) {
                    // A bounded rate: a load, not a benchmark, on a machine the brokers share.
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Bounded, unlike flush() and close(): with the quorum lost, an idempotent producer whose batches
            // expired waits for a new producer id for as long as the quorum stays lost. What is not answered by then
            // fails, and is not counted as acknowledged.
            producer.close(Duration.ofSeconds(CLOSE_TIMEOUT_SECONDS));
        }
    }

    /** Waits until {@code more} records beyond those acknowledged so far are acknowledged. */
    void awaitMoreAcks(int more, int timeoutSeconds) throws InterruptedException {
        int target = acknowledged.size() + more;
        ProcessCluster.await(
                timeoutSeconds, target + " acknowledged records of " + topic, () -> acknowledged.size() >= target);
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Stops sending and waits for every send in flight to be answered. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(TimeUnit.SECONDS.toMillis(150));
        assertThat(thread.isAlive()).as("the load's producer finished").isFalse();
    }
}
