package io.wharf.tests.process;

import io.wharf.embedded.EmbeddedBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A Wharf cluster of real {@code wharf server} processes, every node a broker and a voter of the metadata quorum,
 * with sessions short enough that a failure is noticed in seconds ({@value #SESSION_TIMEOUT_MS} ms). Nodes are killed,
 * paused, stopped and started again through {@link #node}; {@link #close()} kills every process still running, and so
 * does a JVM shutdown hook should the test JVM be stopped first.
 *
 * <p>The cluster answers questions through the Kafka Admin API, as an operator would, not through broker internals:
 * a process cluster is what users run.
 */
final class ProcessCluster implements AutoCloseable {

    static final int SESSION_TIMEOUT_MS = 4_000;

    /** How many rounds a repeated fault runs: {@code -Dwharf.faults.rounds=N}, else {@code ciDefault}. */
    static int rounds(int ciDefault) {
        return Integer.getInteger("wharf.faults.rounds", ciDefault);
    }

    private final Map<Integer, BrokerNode> nodes = new LinkedHashMap<>();
    private final Map<String, String> settings;
    private final Thread reaper = new Thread(this::destroyAll, "process-cluster-reaper");
    private Admin admin;

    /** Where a node listens and what it is started under. */
    record Address(String host, int port, int controllerPort, List<String> commandPrefix) {}

    private ProcessCluster(Path dir, List<Address> addresses, Map<String, String> settings) throws IOException {
        Path logs = Files.createDirectories(
                Path.of("target", "fault-logs", dir.getFileName().toString()));
        for (int i = 0; i < addresses.size(); i++) {
            Address a = addresses.get(i);
            int id = i + 1;
            nodes.put(
                    id,
                    new BrokerNode(
                            id,
                            a.host(),
                            a.port(),
                            a.controllerPort(),
                            Files.createDirectories(dir.resolve("node-" + id)),
                            logs.resolve("node-" + id + ".log"),
                            a.commandPrefix()));
        }
        this.settings = settings;
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** {@code count} nodes on free ports of 127.0.0.1, data under {@code dir}, with {@code settings} for all. */
    static ProcessCluster startLocal(Path dir, int count, Map<String, String> settings) throws Exception {
        List<Address> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(new Address("127.0.0.1", freePort(), freePort(), List.of()));
        }
        return start(dir, addresses, settings);
    }

    /** Nodes at the given addresses (in network namespaces, say). */
    static ProcessCluster start(Path dir, List<Address> addresses, Map<String, String> settings) throws Exception {
        ProcessCluster cluster = new ProcessCluster(dir, addresses, settings);
        try {
            for (BrokerNode node : cluster.nodes.values()) {
                node.start(cluster.settingsOf(node));
            }
            cluster.awaitBrokers(addresses.size());
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Map<String, String> settingsOf(BrokerNode node) {
        String voters = nodes.values().stream()
                .map(n -> n.id + "@" + n.host + ":" + n.controllerPort)
                .collect(Collectors.joining(","));
        Map<String, String> all = new LinkedHashMap<>();
        // Small thread pools, as an embedded broker's: three brokers and the test share the machine.
        all.put("node.id", String.valueOf(node.id));
        all.put("process.roles", "broker,controller");
        all.put("controller.quorum.voters", voters);
        all.put(
                "listeners",
                "PLAINTEXT://" + node.host + ":" + node.port + ",CONTROLLER://" + node.host + ":"
                        + node.controllerPort);
        all.put("log.dirs", node.dataDir.toString());
        all.putAll(EmbeddedBroker.EMBEDDED_DEFAULTS);
        all.put("broker.session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));
        all.put("broker.heartbeat.interval.ms", "400");
        all.put("controller.quorum.election.timeout.ms", "1000");
        all.put("default.replication.factor", "3");
        all.put("min.insync.replicas", "2");
        all.put("offsets.topic.replication.factor", "3");
        all.put("offsets.topic.num.partitions", "3");
        all.put("share.coordinator.state.topic.replication.factor", "3");
        all.put("share.coordinator.state.topic.num.partitions", "3");
        all.putAll(settings);
        return all;
    }

    BrokerNode node(int id) {
        BrokerNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
        }
        return node;
    }

    Collection<BrokerNode> nodes() {
        return nodes.values();
    }

    /** Starts node {@code id} again on its address and data. */
    void restart(int id) throws IOException, InterruptedException {
        BrokerNode node = node(id);
        node.start(settingsOf(node));
    }

    /** Every node's address, for {@code bootstrap.servers}. */
    String bootstrapServers() {
        return nodes.values().stream().map(BrokerNode::address).collect(Collectors.joining(","));
    }

    synchronized Admin admin() {
        if (admin == null) {
            admin = admin(bootstrapServers());
        }
        return admin;
    }

    static Admin admin(String bootstrap) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return Admin.create(properties);
    }

    void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
        admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 3).configs(configs)))
                .all()
                .get(60, TimeUnit.SECONDS);
        awaitFullIsr(topic, 3, 60);
    }

    /** The partitions of {@code topic} as the cluster describes them now. */
    List<TopicPartitionInfo> describe(Admin through, String topic) throws Exception {
        TopicDescription d = through.describeTopics(List.of(topic))
                .allTopicNames()
                .get(20, TimeUnit.SECONDS)
                .get(topic);
        return d.partitions();
    }

    /** The leader of a partition, or -1 while it has none. */
    int leaderOf(String topic, int partition) throws Exception {
        Node leader = describe(admin(), topic).get(partition).leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    /** The node leading the metadata quorum (the active controller). */
    int controllerLeader() throws Exception {
        return admin().describeMetadataQuorum()
                .quorumInfo()
                .get(20, TimeUnit.SECONDS)
                .leaderId();
    }

    /** Waits until every partition of {@code topic} has a leader and {@code isrSize} in-sync replicas. */
    void awaitFullIsr(String topic, int isrSize, int timeoutSeconds) throws Exception {
        await(timeoutSeconds, topic + " with a leader and " + isrSize + " in-sync replicas per partition", () -> {
            try {
                return describe(admin(), topic).stream()
                        .allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()
                                && p.isr().size() == isrSize);
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    /** Waits until {@code count} brokers are active (fenced ones are not listed). */
    void awaitBrokers(int count) throws Exception {
        await(60, count + " active brokers", () -> {
            try {
                return admin().describeCluster()
                                .nodes()
                                .get(10, TimeUnit.SECONDS)
                                .size()
                        == count;
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    /** Starts every node that is not running and waits until all are active. */
    void restartStopped() throws Exception {
        for (BrokerNode node : nodes.values()) {
            if (!node.running()) {
                restart(node.id);
            }
        }
        awaitBrokers(nodes.size());
    }

    /** Polls {@code condition} until it holds, failing after {@code timeoutSeconds}. */
    static void await(int timeoutSeconds, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + timeoutSeconds + " s");
            }
            Thread.sleep(100);
        }
    }

    /** A line in the test's output saying what it does now, so a slow or failed run can be read afterwards. */
    static void step(String what) {
        System.out.println("[faults " + java.time.LocalTime.now() + "] " + what);
    }

    static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private void destroyAll() {
        nodes.values().forEach(BrokerNode::destroy);
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
    }
}
