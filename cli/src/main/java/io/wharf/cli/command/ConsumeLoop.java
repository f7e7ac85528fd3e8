package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.client.DurationConverter;
import io.wharf.common.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The poll-and-print loop of {@code wharf consume}. Without a group it reads the partitions it was given, already
 * positioned; with one it subscribes, and commits the offset after each printed record (never past a record it did
 * not print, even when it stops after a count in the middle of a batch). Ctrl-C wakes the consumer, which then
 * commits and stops. Runs on the command's thread; the shutdown hook only calls {@link KafkaConsumer#wakeup()}.
 */
final class ConsumeLoop {

    private static final Duration POLL = Duration.ofMillis(200);
    /** A group's first join can wait for the coordinator's rebalance delay (3 s by default in Kafka). */
    private static final Duration JOIN_MIN = Duration.ofSeconds(30);
    /** How long Ctrl-C waits for the loop to commit and close. */
    private static final long STOP_WAIT_MS = 5_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RecordPrinter printer;
    private final boolean grouped;
    private final Map<TopicPartition, Long> ends;
    private final Duration joinTimeout;
    private final Map<TopicPartition, OffsetAndMetadata> printedUpTo = new HashMap<>();

    private ConsumeLoop(
            KafkaConsumer<byte[], byte[]> consumer,
            RecordPrinter printer,
            boolean grouped,
            Map<TopicPartition, Long> ends,
            Duration joinTimeout) {
        this.consumer = consumer;
        this.printer = printer;
        this.grouped = grouped;
        this.ends = ends;
        this.joinTimeout = joinTimeout;
    }

    /** A loop over partitions the consumer was assigned and positioned on; {@code ends} are their end offsets. */
    static ConsumeLoop assigned(
            KafkaConsumer<byte[], byte[]> consumer, RecordPrinter printer, Map<TopicPartition, Long> ends) {
        return new ConsumeLoop(consumer, printer, false, new HashMap<>(ends), Duration.ZERO);
    }

    /** A loop as a member of the consumer's group, subscribed to {@code topic}. */
    static ConsumeLoop grouped(
            KafkaConsumer<byte[], byte[]> consumer, RecordPrinter printer, String topic, Duration timeout) {
        ConsumeLoop loop = new ConsumeLoop(
                consumer, printer, true, new HashMap<>(), timeout.compareTo(JOIN_MIN) > 0 ? timeout : JOIN_MIN);
        consumer.subscribe(List.of(topic), loop.new Rebalances());
        return loop;
    }

    /**
     * Prints records until {@code max} are printed, or, with {@code stopAtEnd}, every partition has reached its end
     * offset, or Ctrl-C; then reports the count on {@code err}, before the JVM may exit.
     */
    void run(long max, boolean stopAtEnd, PrintWriter err) throws IOException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    consumer.wakeup();
                    try {
                        stopped.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "wharf-consume-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long printed = 0;
        long joinDeadline = Clock.system().nanoTime() + joinTimeout.toNanos();
        try {
            while (printed < max && !(stopAtEnd && atEnd())) {
                if (grouped && !joined() && Clock.system().nanoTime() > joinDeadline) {
                    throw CliException.failed(
                            "could not join the consumer group within " + DurationConverter.format(joinTimeout), null);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    printer.print(record);
                    printedUpTo.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    if (++printed >= max) {
                        break;
                    }
                }
                printer.flush();
                if (grouped && !printedUpTo.isEmpty()) {
                    consumer.commitAsync(Map.copyOf(printedUpTo), null);
                }
            }
        } catch (WakeupException stop) {
            // Ctrl-C: fall through to commit what was printed.
        } finally {
            printer.flush();
            try {
                if (grouped && !printedUpTo.isEmpty()) {
                    consumer.commitSync(printedUpTo);
                }
            } finally {
                err.println("consumed " + printed + (printed == 1 ? " record" : " records"));
                err.flush();
                stopped.countDown();
                removeHook(hook);
            }
        }
    }

    private boolean joined() {
        return consumer.groupMetadata().generationId() > 0;
    }

    /** Whether every partition read has reached the end it had when the loop got it. */
    private boolean atEnd() {
        if (grouped && !joined()) {
            return false;
        }
        for (TopicPartition tp : consumer.assignment()) {
            Long end = ends.get(tp);
            if (end != null && consumer.position(tp) < end) {
                return false;
            }
        }
        return true;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already running the hook; it finishes on its own once this loop has stopped.
        }
    }

    /** Learns the end of each partition the group hands over, and commits before one is taken away. */
    private final class Rebalances implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ends.putAll(consumer.endOffsets(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata offset = printedUpTo.remove(tp);
                if (offset != null) {
                    revoked.put(tp, offset);
                }
                ends.remove(tp);
            }
            if (!revoked.isEmpty()) {
                consumer.commitSync(revoked);
            }
        }
    }
}
