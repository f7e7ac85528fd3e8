import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One AMQP producer and one consumer on one queue, for a fixed time, against any AMQP 0-9-1 broker. Modes:
 * {@code persistent}: a durable queue, persistent messages, publisher confirms with at most 100 unconfirmed, manual
 * acks with prefetch 200 and a multiple ack every 100 (PerfTest's {@code -f persistent -c 100 -q 200 -A 100});
 * {@code transient}: a server-named queue, transient messages, auto-ack. Prints received msg/s and confirm latency.
 *
 * <p>Run: {@code java -cp 'dist/target/wharf/libs/*' bench/AmqpBench.java amqp://guest:guest@127.0.0.1:5672
 * persistent 1024 20}
 */
public class AmqpBench {

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        boolean persistent = args[1].equals("persistent");
        int size = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        try (Connection producerConnection = factory.newConnection();
                Connection consumerConnection = factory.newConnection()) {
            Channel consumer = consumerConnection.createChannel();
            String queue = persistent ? "bench-durable" : consumer.queueDeclare().getQueue();
            if (persistent) {
                consumer.queueDeclare(queue, true, false, false, null);
                consumer.queuePurge(queue);
            }
            AtomicLong received = new AtomicLong();
            consumer.basicQos(200);
            consumer.basicConsume(queue, !persistent, new DefaultConsumer(consumer) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    long n = received.incrementAndGet();
                    if (persistent && n % 100 == 0) {
                        getChannel().basicAck(envelope.getDeliveryTag(), true);
                    }
                }
            });
            Channel producer = producerConnection.createChannel();
            Semaphore window = new Semaphore(100);
            ConcurrentSkipListMap<Long, Long> sentAt = new ConcurrentSkipListMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            if (persistent) {
                producer.confirmSelect();
                producer.addConfirmListener(
                        (tag, multiple) -> settle(tag, multiple, sentAt, latencies, window),
                        (tag, multiple) -> settle(tag, multiple, sentAt, latencies, window));
            }
            byte[] body = new byte[size];
            AtomicBoolean running = new AtomicBoolean(true);
            long start = System.nanoTime();
            long sent = 0;
            long warm = start + TimeUnit.SECONDS.toNanos(2);
            long receivedAtWarm = -1;
            long end = warm + TimeUnit.SECONDS.toNanos(seconds);
            while (running.get()) {
                long now = System.nanoTime();
                if (receivedAtWarm < 0 && now >= warm) {
                    receivedAtWarm = received.get();
                    latencies.clear();
                }
                if (now >= end) {
                    break;
                }
                if (persistent) {
                    window.acquire();
                    sentAt.put(producer.getNextPublishSeqNo(), System.nanoTime());
                }
                producer.basicPublish("", queue, persistent ? MessageProperties.PERSISTENT_BASIC : null, body);
                sent++;
            }
            long got = received.get() - receivedAtWarm;
            System.out.printf("%s %d B: sent %d, received %.0f msg/s", args[1], size, sent, got / (double) seconds);
            if (persistent) {
                List<Long> sorted;
                synchronized (latencies) {
                    sorted = new ArrayList<>(latencies);
                }
                Collections.sort(sorted);
                System.out.printf(", confirm p50 %.2f ms, p99 %.2f ms",
                        sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 99 / 100) / 1e6);
            }
            System.out.println();
        }
    }

    private static void settle(long tag, boolean multiple, ConcurrentSkipListMap<Long, Long> sentAt,
            List<Long> latencies, Semaphore window) {
        long now = System.nanoTime();
        var confirmed = multiple ? sentAt.headMap(tag, true) : sentAt.subMap(tag, true, tag, true);
        int count = 0;
        for (Long at : confirmed.values()) {
            latencies.add(now - at);
            count++;
        }
        confirmed.clear();
        window.release(count);
    }
}
