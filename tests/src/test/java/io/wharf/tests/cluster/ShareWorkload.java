package io.wharf.tests.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Share consumers for cluster tests, each on its own thread: they acknowledge every record they get (ACCEPT, or
 * REJECT where the test says), one commitSync per poll, and note for every value each delivery count they saw and
 * whether its acknowledgement was confirmed. Once {@code holdAfter} values are confirmed, the first consumer to get
 * records holds them, unacknowledged, until told to resume: a broker is killed while they are in flight.
 *
 * <p>What a test checks afterwards: no value whose acknowledgement was confirmed came back; the delivery counts seen
 * of each value only ever went up (a count that went back down is a reset); what was held across the failure.
 */
final class ShareWorkload implements AutoCloseable {

    final Set<String> received = ConcurrentHashMap.newKeySet();
    final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    final Set<String> heldAcrossTheFailure = ConcurrentHashMap.newKeySet();
    final Map<String, List<Integer>> deliveryCounts = new ConcurrentHashMap<>();
    final List<String> redeliveredAfterConfirmation = new ArrayList<>();
    final CountDownLatch holding = new CountDownLatch(1);

    private final CountDownLatch resume = new CountDownLatch(1);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final String bootstrap;
    private final String group;
    private final String topic;
    private final int holdAfter;
    private final Predicate<String> reject;

    /**
     * @param holdAfter how many values are confirmed before records are held; -1 never to hold
     * @param reject the values to reject rather than accept
     */
    ShareWorkload(String bootstrap, String group, String topic, int holdAfter, Predicate<String> reject) {
        this.bootstrap = bootstrap;
        this.group = group;
        this.topic = topic;
        this.holdAfter = holdAfter;
        this.reject = reject;
        if (holdAfter < 0) {
            holding.countDown();
            resume.countDown();
        }
    }

    /** Starts {@code consumers} share consumers. */
    ShareWorkload start(int consumers) {
        for (int i = 0; i < consumers; i++) {
            Thread thread = new Thread(this::consume, "share-workload-" + group + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Lets the held records go on: their acknowledgements are sent. */
    void resume() {
        resume.countDown();
    }

    /** Whether some record held across the failure was delivered again, with the delivery before it counted. */
    boolean heldRecordWasDeliveredAgain() {
        return heldAcrossTheFailure.stream().anyMatch(value -> {
            List<Integer> counts = deliveryCounts.getOrDefault(value, List.of());
            synchronized (counts) {
                return counts.contains(2);
            }
        });
    }

    /** The values some delivery count of which was not above the one seen before it. */
    List<String> countsThatWentBack() {
        List<String> reset = new ArrayList<>();
        deliveryCounts.forEach((value, counts) -> {
            synchronized (counts) {
                for (int i = 1; i < counts.size(); i++) {
                    if (counts.get(i) <= counts.get(i - 1)) {
                        reset.add(value + " " + counts);
                        break;
                    }
                }
            }
        });
        return reset;
    }

    private void consume() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("group.id", group);
        properties.put("share.acknowledgement.mode", "explicit");
        properties.put("share.acquire.mode", "record_limit");
        properties.put("max.poll.records", "20");
        try (KafkaShareConsumer<String, String> consumer =
                new KafkaShareConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                try {
                    pollOnce(consumer);
                } catch (KafkaException broken) {
                    // A broker is down or just came back: what was not confirmed is delivered again.
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void pollOnce(KafkaShareConsumer<String, String> consumer) throws InterruptedException {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        if (records.isEmpty()) {
            return;
        }
        // What was delivered is noted before any hold: a held record delivered again meanwhile counts after it.
        for (ConsumerRecord<String, String> record : records) {
            String value = record.value();
            if (confirmed.contains(value)) {
                synchronized (redeliveredAfterConfirmation) {
                    redeliveredAfterConfirmation.add(value);
                }
            }
            received.add(value);
            List<Integer> counts = deliveryCounts.computeIfAbsent(value, v -> new ArrayList<>());
            synchronized (counts) {
                counts.add((int) record.deliveryCount().orElse((short) -1));
            }
        }
        if (holdAfter >= 0 && confirmed.size() >= holdAfter && holding.getCount() > 0) {
            synchronized (holding) {
                if (holding.getCount() > 0) {
                    records.forEach(r -> heldAcrossTheFailure.add(r.value()));
                    holding.countDown();
                    resume.await();
                }
            }
        }
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            String value = record.value();
            byPartition
                    .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                    .add(value);
            consumer.acknowledge(record, reject.test(value) ? AcknowledgeType.REJECT : AcknowledgeType.ACCEPT);
        }
        Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(Duration.ofSeconds(20));
        results.forEach((partition, failure) -> {
            if (failure.isEmpty()) {
                confirmed.addAll(byPartition.getOrDefault(partition.partition(), List.of()));
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        resume.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
