import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Group membership timings, used by bench/compare-kafka.sh: how long {@code --consumers} consumers take to join a new
 * group, and how long the others take to take over after one of them leaves, for one group protocol.
 *
 * <p>One round: the consumers (each on its own thread, polling every 50 ms) subscribe at once to a fresh group. The
 * group has joined when every consumer owns at least one partition and together they own each partition of the topic
 * exactly once (the topic needs at least as many partitions as consumers). Then one consumer is closed, which leaves
 * the group, and the group has rebalanced when the others again own every partition exactly once. Ownership is what
 * the rebalance listeners report. Times are from the subscriptions, and from the close, to the moment the condition
 * holds, checked every 2 ms.
 *
 * <pre>
 * java -cp 'bench/work/kafka-libs/*' bench/GroupRebalance.java --bootstrap-server 127.0.0.1:9092 --topic t \
 *     --protocol classic --consumers 10 --rounds 3
 * </pre>
 *
 * <p>Output: one line per round, and a {@code RESULT} line with the medians (milliseconds) for scripts.
 */
public final class GroupRebalance {

    private GroupRebalance() {}

    /** One consumer on its own thread; everything it owns, as its rebalance listener last said. */
    private static final class Member implements Runnable, ConsumerRebalanceListener {
        final String name;
        final Properties settings;
        final String topic;
        final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean stop;
        volatile Throwable failure;

        Member(String name, Properties settings, String topic) {
            this.name = name;
            this.settings = settings;
            this.topic = topic;
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
                consumer.subscribe(List.of(topic), this);
                while (!stop) {
                    consumer.poll(Duration.ofMillis(50));
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                owned.clear();
                closed.countDown();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String bootstrap = require(opts, "bootstrap-server");
        String topic = require(opts, "topic");
        String protocol = opts.getOrDefault("protocol", "classic");
        int consumers = Integer.parseInt(opts.getOrDefault("consumers", "10"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
        long timeoutMs = Long.parseLong(opts.getOrDefault("timeout-ms", "60000"));

        int partitions = partitionCount(bootstrap, topic);
        if (partitions < consumers) {
            usage("topic " + topic + " has " + partitions + " partitions, fewer than " + consumers + " consumers");
        }
        long[] joins = new long[rounds];
        long[] rebalances = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            String group = "rebalance-" + protocol + "-" + System.nanoTime();
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                members.add(new Member("m" + i, settings(bootstrap, group, protocol), topic));
            }
            long start = System.nanoTime();
            for (Member member : members) {
                new Thread(member, "consumer-" + member.name).start();
            }
            joins[round] = awaitCoverage(members, partitions, start, timeoutMs, "join");

            Member leaving = members.remove(members.size() - 1);
            long leaveStart = System.nanoTime();
            leaving.stop = true;
            rebalances[round] = awaitCoverage(members, partitions, leaveStart, timeoutMs, "rebalance");

            for (Member member : members) {
                member.stop = true;
            }
            for (Member member : members) {
                member.closed.await();
            }
            leaving.closed.await();
            System.out.printf(
                    "round %d (%s, %d consumers, %d partitions): join %d ms, rebalance after one left %d ms%n",
                    round + 1, protocol, consumers, partitions, joins[round], rebalances[round]);
        }
        System.out.printf("RESULT protocol=%s join_ms=%d rebalance_ms=%d%n", protocol, median(joins), median(rebalances));
    }

    private static Properties settings(String bootstrap, String group, String protocol) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return settings;
    }

    /** Waits until every member owns something and the members own each partition exactly once; returns the ms. */
    private static long awaitCoverage(List<Member> members, int partitions, long start, long timeoutMs, String what)
            throws InterruptedException {
        long deadline = start + timeoutMs * 1_000_000L;
        while (true) {
            for (Member member : members) {
                if (member.failure != null) {
                    throw new IllegalStateException("consumer " + member.name + " failed", member.failure);
                }
            }
            if (covered(members, partitions)) {
                return (System.nanoTime() - start) / 1_000_000L;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(what + " did not complete within " + timeoutMs + " ms");
            }
            Thread.sleep(2);
        }
    }

    private static boolean covered(List<Member> members, int partitions) {
        Set<TopicPartition> union = new HashSet<>();
        int total = 0;
        for (Member member : members) {
            Set<TopicPartition> owned = new HashSet<>(member.owned);
            if (owned.isEmpty()) {
                return false;
            }
            union.addAll(owned);
            total += owned.size();
        }
        return union.size() == partitions && total == partitions;
    }

    private static int partitionCount(String bootstrap, String topic) throws Exception {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(settings)) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
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
        System.err.println("usage: GroupRebalance --bootstrap-server HOST:PORT --topic TOPIC"
                + " [--protocol classic|consumer] [--consumers 10] [--rounds 3] [--timeout-ms 60000]");
        System.exit(2);
    }
}
