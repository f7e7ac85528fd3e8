package io.wharf.embedded;

import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.server.Broker;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ClusterConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A Wharf cluster in the caller's JVM, for tests: N brokers, each also a controller of the metadata quorum, on free
 * ports of 127.0.0.1, each with its data in its own temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder().brokers(3).start()) {
 *     producerProperties.put("bootstrap.servers", cluster.bootstrapServers());
 *     cluster.kill(cluster.leaderOf("orders", 0));
 *     ...
 * }
 * }</pre>
 *
 * <p>Each broker keeps its ports and directory for the life of the cluster, so one that is stopped or killed can be
 * started again as the same node. {@link #stop} is a graceful stop (a controlled shutdown first); {@link #kill} stops
 * a broker at once, as far as the cluster can tell the way a crash would, so the controller fences it after its
 * session. Timeouts are shorter than a production cluster's (sessions of {@value #SESSION_TIMEOUT_MS} ms) so that
 * tests of failures take seconds.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class EmbeddedCluster implements AutoCloseable {

    /** The broker session of an embedded cluster, unless the builder sets {@code broker.session.timeout.ms}. */
    public static final int SESSION_TIMEOUT_MS = 3_000;

    /** One node: its fixed ports and directory, and its broker while it runs. */
    private static final class Node {
        final int id;
        final int port;
        final int controllerPort;
        final Path dataDir;
        Broker broker;

        Node(int id, int port, int controllerPort, Path dataDir) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
            this.dataDir = dataDir;
        }
    }

    private final Map<Integer, Node> nodes;
    private final Map<String, String> settings;
    private final Map<Integer, Map<String, String>> perNode;

    private EmbeddedCluster(
            Map<Integer, Node> nodes, Map<String, String> settings, Map<Integer, Map<String, String>> perNode) {
        this.nodes = nodes;
        this.settings = settings;
        this.perNode = perNode;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every broker's {@code host:port}, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes.values().stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    /** The node ids, 1 to N. */
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** The broker of node {@code id} while it runs. */
    public synchronized Optional<Broker> broker(int id) {
        return Optional.ofNullable(node(id).broker);
    }

    /** {@code host:port} of node {@code id}, running or not. */
    public String address(int id) {
        return "127.0.0.1:" + node(id).port;
    }

    public Path dataDir(int id) {
        return node(id).dataDir;
    }

    private Node node(int id) {
        Node node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
        }
        return node;
    }

    private Map<String, String> settingsOf(Node node) {
        String voters = nodes.values().stream()
                .map(n -> n.id + "@127.0.0.1:" + n.controllerPort)
                .collect(Collectors.joining(","));
        Map<String, String> all = new LinkedHashMap<>(EmbeddedBroker.EMBEDDED_DEFAULTS);
        all.put(BrokerConfig.NODE_ID.name(), String.valueOf(node.id));
        all.put(ClusterConfigs.PROCESS_ROLES.name(), "broker,controller");
        all.put(ClusterConfigs.CONTROLLER_QUORUM_VOTERS.name(), voters);
        all.put(
                BrokerConfig.LISTENERS.name(),
                "PLAINTEXT://127.0.0.1:" + node.port + ",CONTROLLER://127.0.0.1:" + node.controllerPort);
        all.put(BrokerConfig.LOG_DIRS.name(), node.dataDir.toString());
        all.put(ClusterConfigs.BROKER_SESSION_TIMEOUT_MS.name(), String.valueOf(SESSION_TIMEOUT_MS));
        all.put(ClusterConfigs.BROKER_HEARTBEAT_INTERVAL_MS.name(), "300");
        all.put(ClusterConfigs.CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS.name(), "500");
        all.putAll(settings);
        all.putAll(perNode.getOrDefault(node.id, Map.of()));
        return all;
    }

    /**
     * Starts node {@code id} again (after {@link #stop} or {@link #kill}) on its ports and directory.
     *
     * @throws IllegalStateException when it runs already or cannot start
     */
    public synchronized void restart(int id) {
        Node node = node(id);
        if (node.broker != null) {
            throw new IllegalStateException("node " + id + " is running");
        }
        try {
            node.broker = Broker.start(BrokerConfig.parse(settingsOf(node)));
        } catch (IOException e) {
            throw new IllegalStateException("node " + id + " did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node " + id + " was starting", e);
        }
    }

    /** Stops node {@code id} gracefully: its leaderships move, then it stops. Its data stays. */
    public void stop(int id) {
        Broker broker = detach(id);
        if (broker != null) {
            broker.close();
        }
    }

    /** Stops node {@code id} at once, without telling the controller; it is fenced when its session expires. */
    public void kill(int id) {
        Broker broker = detach(id);
        if (broker != null) {
            broker.halt();
        }
    }

    private synchronized Broker detach(int id) {
        Node node = node(id);
        Broker broker = node.broker;
        node.broker = null;
        return broker;
    }

    /** The image of some running node (the newest one any has). */
    public synchronized MetadataImage image() {
        return nodes.values().stream()
                .filter(n -> n.broker != null)
                .map(n -> n.broker.metadata().publisher().image())
                .max((a, b) -> Long.compare(a.offset(), b.offset()))
                .orElse(MetadataImage.EMPTY);
    }

    /** The node that is the active controller now, if any running node is. */
    public synchronized Optional<Integer> activeController() {
        return nodes.values().stream()
                .filter(n -> n.broker != null)
                .filter(n -> n.broker
                        .metadata()
                        .localController()
                        .map(c -> c.isActive())
                        .orElse(false))
                .map(n -> n.id)
                .findFirst();
    }

    /** The leader of a partition as the newest image says, or -1. */
    public int leaderOf(String topic, int partition) {
        return image().topic(topic)
                .map(t -> t.partitions().get(partition))
                .map(PartitionImage::leader)
                .orElse(-1);
    }

    /** Waits until every running node is an active broker and knows every other running one as active. */
    public void awaitReady(long timeoutMs) throws TimeoutException {
        await(timeoutMs, "every running broker active", () -> {
            List<Integer> running = runningIds();
            for (int id : running) {
                Optional<Broker> broker = broker(id);
                if (broker.isEmpty()) {
                    return false;
                }
                MetadataImage image = broker.get().metadata().publisher().image();
                if (!running.stream().allMatch(image::isActive)) {
                    return false;
                }
            }
            return true;
        });
    }

    private synchronized List<Integer> runningIds() {
        List<Integer> running = new ArrayList<>();
        nodes.values().forEach(n -> {
            if (n.broker != null) {
                running.add(n.id);
            }
        });
        return running;
    }

    /** Polls {@code condition} every 20 ms until it holds. */
    public static void await(long timeoutMs, String what, BooleanSupplier condition) throws TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("not " + what + " within " + timeoutMs + " ms");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimeoutException("interrupted while waiting for " + what);
            }
        }
    }

    /** Stops every broker at once (there is nothing left to hand over to) and deletes the data directories. */
    @Override
    public void close() {
        List<Integer> running = runningIds();
        running.parallelStream().forEach(this::kill);
        nodes.values().forEach(n -> TempDirs.deleteQuietly(n.dataDir));
    }

    /** Collects the settings of a cluster. Not thread-safe. */
    public static final class Builder {

        private int brokers = 3;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<Integer, Map<String, String>> perNode = new TreeMap<>();

        private Builder() {}

        /** How many nodes, each a broker and a controller; 3 by default. */
        public Builder brokers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs a broker, got " + count);
            }
            this.brokers = count;
            return this;
        }

        /** A setting of every node, under its {@code server.properties} name. */
        public Builder config(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** A setting of node {@code id} only (such as its {@code broker.rack}). */
        public Builder config(int id, String key, String value) {
            perNode.computeIfAbsent(id, i -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /**
         * Starts every node and returns once each is an active broker of the cluster.
         *
         * @throws IllegalStateException when a node cannot start or the cluster does not form within a minute
         */
        public EmbeddedCluster start() {
            Map<Integer, Node> nodes = new TreeMap<>();
            for (int id = 1; id <= brokers; id++) {
                nodes.put(id, new Node(id, freePort(), freePort(), TempDirs.create()));
            }
            EmbeddedCluster cluster = new EmbeddedCluster(nodes, Map.copyOf(settings), Map.copyOf(perNode));
            try {
                nodes.keySet().parallelStream().forEach(cluster::restart);
                cluster.awaitReady(60_000);
            } catch (RuntimeException | TimeoutException e) {
                cluster.close();
                throw new IllegalStateException("the embedded cluster did not start: " + e.getMessage(), e);
            }
            return cluster;
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
