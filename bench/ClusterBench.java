import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One target of bench/compare-kafka-cluster.sh: starts a 3-node cluster (Apache Kafka KRaft or Wharf, every node a
 * combined broker and controller on 127.0.0.1), measures it, stops it, and prints one line per figure:
 * {@code metric<TAB>unit<TAB>value}. The metadata figures (topic creation, controller and broker failover, idle memory)
 * and the replication figures (RF=3 acks=all produce, consume, leader failover, broker CPU) are measured the same way
 * for both, with Kafka's own clients and perf tools.
 *
 * <pre>java -cp 'bench/work/kafka-libs/*' bench/ClusterBench.java kafka|wharf|wharf-os WORK_DIR REPO_ROOT</pre>
 */
public final class ClusterBench {
    static final int NODES = 3;
    static final int SMALL_RECORDS = Integer.getInteger("small.records", 500_000);
    static final int LARGE_RECORDS = Integer.getInteger("large.records", 300_000);
    static final int E2E_ITERATIONS = Integer.getInteger("e2e.iterations", 5_000);
    static final int E2E_WARMUP = Integer.getInteger("e2e.warmup", 500);
    static final List<String> KAFKA_JVM = List.of("-Xmx1G", "-Xms1G", "-server", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true");

    final String target;
    final Path work;
    final Path root;
    final int basePort;
    final Process[] nodes = new Process[NODES + 1];

    ClusterBench(String target, Path work, Path root) {
        this.target = target;
        this.work = work;
        this.root = root;
        this.basePort = target.equals("kafka") ? 19000 : 29000;
    }

    public static void main(String[] args) throws Exception {
        ClusterBench bench = new ClusterBench(args[0], Path.of(args[1]), Path.of(args[2]));
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    int clientPort(int node) {
        return basePort + 100 * node + 92;
    }

    int controllerPort(int node) {
        return basePort + 100 * node + 93;
    }

    String bootstrap(Predicate<Integer> which) {
        return IntStream.rangeClosed(1, NODES)
                .filter(which::test)
                .mapToObj(n -> "127.0.0.1:" + clientPort(n))
                .collect(Collectors.joining(","));
    }

    static void emit(String metric, String unit, double value) {
        System.out.printf("%s\t%s\t%.1f%n", metric, unit, value);
    }

    static void log(String message) {
        System.err.printf("[%tT] %s%n", System.currentTimeMillis(), message);
    }

    void run() throws Exception {
        Files.createDirectories(work);
        String clusterId = kafkaClusterId();
        for (int n = 1; n <= NODES; n++) {
            prepare(n, clusterId);
        }
        for (int n = 1; n <= NODES; n++) {
            start(n);
        }
        try (Admin admin = admin(bootstrap(n -> true))) {
            awaitBrokers(admin, NODES);
            Thread.sleep(5000);
            emit("idle-rss", "MB", rssKb() / 1024.0);
            createTopics(admin);
            produceAndConsume(admin);
            leaderFailover(admin);
        }
        controllerFailover();
        brokerRestart();
    }

    // --- the cluster -------------------------------------------------------------------------------------------

    String kafkaClusterId() {
        byte[] b = new byte[16];
        UUID u = UUID.randomUUID();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            b[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'A');
    }

    Path props(int node) {
        return work.resolve(target + "-node-" + node + ".properties");
    }

    Path dataDir(int node) {
        return work.resolve(target + "-data-" + node);
    }

    void prepare(int node, String clusterId) throws Exception {
        deleteTree(dataDir(node));
        String voters = IntStream.rangeClosed(1, NODES)
                .mapToObj(n -> n + "@127.0.0.1:" + controllerPort(n))
                .collect(Collectors.joining(","));
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + node,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + clientPort(node) + ",CONTROLLER://127.0.0.1:" + controllerPort(node),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + clientPort(node),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir(node),
                "default.replication.factor=3",
                "min.insync.replicas=2",
                "offsets.topic.replication.factor=3",
                "transaction.state.log.replication.factor=3",
                "transaction.state.log.min.isr=2",
                "share.coordinator.state.topic.replication.factor=3",
                "group.initial.rebalance.delay.ms=0",
                target.equals("wharf-os") ? "wharf.log.flush.policy=os" : "",
                "");
        Files.writeString(props(node), text);
        if (target.equals("kafka")) {
            Process format = new ProcessBuilder(java(), "-cp", classpath(), "kafka.tools.StorageTool", "format",
                            "--cluster-id=" + clusterId, "--config", props(node).toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve(target + "-format-" + node + ".log").toFile())
                    .start();
            if (format.waitFor() != 0) {
                throw new IllegalStateException("formatting node " + node + " failed");
            }
        }
    }

    void start(int node) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (target.equals("kafka")) {
            cmd.add(java());
            cmd.addAll(KAFKA_JVM);
            cmd.add("-Dlog4j2.configurationFile=" + root.resolve("bench/log4j2-broker.properties"));
            cmd.add("-Dbench.log.file=" + work.resolve(target + "-server-" + node + ".log"));
            cmd.addAll(List.of("-cp", classpath(), "kafka.Kafka", props(node).toString()));
        } else {
            cmd.addAll(List.of(root.resolve("dist/target/wharf/bin/wharf").toString(), "server", "--config",
                    props(node).toString()));
        }
        nodes[node] = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(target + "-stdout-" + node + ".log")
                        .toFile()))
                .start();
        log(target + " node " + node + " started, pid " + nodes[node].pid());
    }

    void kill(int node) throws InterruptedException {
        nodes[node].destroyForcibly();
        nodes[node].waitFor();
    }

    void stopAll() throws InterruptedException {
        for (int n = 1; n <= NODES; n++) {
            if (nodes[n] != null && nodes[n].isAlive()) {
                nodes[n].destroy();
            }
        }
        for (int n = 1; n <= NODES; n++) {
            if (nodes[n] != null && !nodes[n].waitFor(30, TimeUnit.SECONDS)) {
                nodes[n].destroyForcibly();
            }
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classpath() {
        return System.getProperty("java.class.path");
    }

    long rssKb() throws IOException {
        long total = 0;
        for (int n = 1; n <= NODES; n++) {
            total += procStatus(nodes[n].pid(), "VmRSS:");
        }
        return total;
    }

    static long procStatus(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    /** User + system CPU seconds of the three broker processes so far. */
    double cpuSeconds() throws IOException {
        double total = 0;
        for (int n = 1; n <= NODES; n++) {
            String stat = Files.readString(Path.of("/proc/" + nodes[n].pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }
        return total;
    }

    // --- clients -----------------------------------------------------------------------------------------------

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        p.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 100);
        return Admin.create(p);
    }

    KafkaProducer<String, String> producer(String bootstrap, String acks) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, acks);
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 100);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static void awaitBrokers(Admin admin, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            try {
                if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count) {
                    return;
                }
            } catch (Exception e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("cluster did not show " + count + " brokers within 180 s");
    }

    static Map<String, TopicDescription> awaitLeaders(Admin admin, Collection<String> topics, int isr)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
                boolean ready = d.values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.isr().size() >= isr);
                if (ready) {
                    return d;
                }
            } catch (Exception e) {
                // not there yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("topics " + topics + " got no leaders within 120 s");
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync: a restarted node is caught up, so that
     * one measurement does not run while the cluster is still recovering from the one before.
     */
    static void awaitSettled(Admin admin) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline) {
            try {
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                boolean settled = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size());
                if (settled) {
                    log("settled after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the cluster did not settle within 600 s");
    }

    // --- metadata figures --------------------------------------------------------------------------------------

    void createTopics(Admin admin) throws Exception {
        List<NewTopic> topics = IntStream.range(0, 100).mapToObj(i -> new NewTopic("t" + i, 6, (short) 3)).toList();
        long t0 = System.nanoTime();
        admin.createTopics(topics).all().get(120, TimeUnit.SECONDS);
        awaitLeaders(admin, topics.stream().map(NewTopic::name).toList(), 1);
        emit("create-100x6-rf3", "ms", (System.nanoTime() - t0) / 1e6);
    }

    void controllerFailover() throws Exception {
        try (Admin admin = admin(bootstrap(n -> true))) {
            awaitSettled(admin);
        }
        int dead = quorumLeader();
        try (Admin admin = admin(bootstrap(n -> n != dead))) {
            awaitBrokers(admin, NODES);
            long t0 = System.nanoTime();
            kill(dead);
            log("killed the controller leader, node " + dead);
            for (int attempt = 0; ; attempt++) {
                try {
                    admin.createTopics(List.of(new NewTopic("after-controller-kill-" + attempt, 1, (short) 2)))
                            .all()
                            .get(3, TimeUnit.SECONDS);
                    break;
                } catch (Exception e) {
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                        throw new IllegalStateException("no CreateTopics succeeded within 120 s", e);
                    }
                    Thread.sleep(20);
                }
            }
            emit("controller-kill-to-create", "ms", (System.nanoTime() - t0) / 1e6);
            start(dead);
            awaitBrokers(admin, NODES);
        }
    }

    int quorumLeader() throws InterruptedException {
        try (Admin admin = admin(bootstrap(n -> true))) {
            for (int attempt = 0; attempt < 60; attempt++) {
                try {
                    return admin.describeMetadataQuorum().quorumInfo().get(5, TimeUnit.SECONDS).leaderId();
                } catch (Exception e) {
                    log("DescribeQuorum failed: " + e);
                    Thread.sleep(500);
                }
            }
        }
        throw new IllegalStateException("no quorum leader known");
    }

    void brokerRestart() throws Exception {
        int node;
        try (Admin admin = admin(bootstrap(n -> true))) {
            int leader = quorumLeader();
            node = leader == NODES ? 1 : NODES;
            awaitSettled(admin);
            try {
                admin.createTopics(List.of(new NewTopic("pinned", Map.of(0, List.of(node)))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e; // else an earlier attempt of the client's own created it
                }
            }
            awaitLeaders(admin, List.of("pinned"), 1);
        }
        int pinned = node;
        try (KafkaProducer<String, String> producer = producer(bootstrap(n -> n != pinned), "1")) {
            producer.send(new ProducerRecord<>("pinned", "before")).get(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            kill(pinned);
            start(pinned);
            producer.send(new ProducerRecord<>("pinned", "after")).get(120, TimeUnit.SECONDS);
            emit("broker-kill-to-serving", "ms", (System.nanoTime() - t0) / 1e6);
        }
    }

    // --- replication figures -----------------------------------------------------------------------------------

    void produceAndConsume(Admin admin) throws Exception {
        admin.createTopics(List.of(
                        new NewTopic("perf-100", 6, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                        new NewTopic("perf-1k", 6, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get(60, TimeUnit.SECONDS);
        awaitLeaders(admin, List.of("perf-100", "perf-1k"), 3);
        perfProduce("perf-100", SMALL_RECORDS, 100);
        perfProduce("perf-1k", LARGE_RECORDS, 1024);
        double cpu0 = cpuSeconds();
        String out = tool("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap(n -> true),
                "--topic", "perf-1k", "--messages", Integer.toString(LARGE_RECORDS), "--timeout", "60000");
        String[] row = lastLine(out, l -> l.matches("^\\d{4}-.*")).split(",\\s*");
        emit("consume-1KiB", "MB/s", Double.parseDouble(row[3]));
        emit("consume-1KiB-broker-cpu", "s", cpuSeconds() - cpu0);
        endToEnd(admin);
    }

    /**
     * bench/E2eLatency.java with acks=all on an RF=3 topic: a record is seen by the consumer once every in-sync
     * replica has it (and, for Wharf by default, has it on disk), so this is replication's latency end to end.
     */
    void endToEnd(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic("perf-e2e", 6, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get(60, TimeUnit.SECONDS);
        awaitLeaders(admin, List.of("perf-e2e"), 3);
        String out = tool(root.resolve("bench/E2eLatency.java").toString(), "--bootstrap-server",
                bootstrap(n -> true), "--topic", "perf-e2e", "--iterations", Integer.toString(E2E_ITERATIONS),
                "--warmup", Integer.toString(E2E_WARMUP), "--record-size", "100", "--acks", "all");
        String result = lastLine(out, l -> l.startsWith("RESULT "));
        for (String metric : List.of("p50", "p99", "p999")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(metric + "_us=([0-9.]+)").matcher(result);
            if (!m.find()) {
                throw new IllegalStateException("no " + metric + " in " + result);
            }
            emit("e2e-100B-acksall-" + metric, "us", Double.parseDouble(m.group(1)));
        }
    }

    void perfProduce(String topic, int records, int size) throws Exception {
        String name = "produce-" + (size == 100 ? "100B" : "1KiB") + "-acksall";
        double cpu0 = cpuSeconds();
        String out = tool("org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records",
                Integer.toString(records), "--record-size", Integer.toString(size), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap(n -> true), "acks=all");
        double cpu = cpuSeconds() - cpu0;
        // "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, P50 ms 50th, P95 ms 95th, ..."
        String[] f = lastLine(out, l -> l.contains("99.9th")).split("[ ,()]+");
        emit(name, "records/s", Double.parseDouble(f[3]));
        emit(name + "-avg", "ms", Double.parseDouble(f[7]));
        emit(name + "-p50", "ms", Double.parseDouble(f[15]));
        emit(name + "-p99", "ms", Double.parseDouble(f[21]));
        emit(name + "-broker-cpu", "s", cpu);
    }

    String tool(String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512M",
                "-Dlog4j2.configurationFile=" + root.resolve("bench/log4j2-tools.properties"), "-cp", classpath(),
                main));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(main + " failed:\n" + out);
        }
        return out;
    }

    static String lastLine(String out, Predicate<String> matching) {
        List<String> lines = out.lines().filter(matching).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("unexpected tool output:\n" + out);
        }
        return lines.get(lines.size() - 1);
    }

    /** SIGKILL of the leader of a partition an acks=all producer writes to → the first send after it acknowledged. */
    void leaderFailover(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic("failover", 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get(60, TimeUnit.SECONDS);
        int leader = awaitLeaders(admin, List.of("failover"), 3).get("failover").partitions().get(0).leader().id();
        try (KafkaProducer<String, String> producer = producer(bootstrap(n -> n != leader), "all")) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("failover", "warm-" + i)).get(30, TimeUnit.SECONDS);
            }
            long t0 = System.nanoTime();
            kill(leader);
            log("killed the leader of failover-0, node " + leader);
            long firstAfter = -1;
            for (int i = 0; firstAfter < 0; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>("failover", "after-" + i)).get(120, TimeUnit.SECONDS);
                if (sent >= t0) {
                    firstAfter = System.nanoTime();
                }
            }
            emit("leader-kill-to-ack", "ms", (firstAfter - t0) / 1e6);
        }
        start(leader);
        awaitBrokers(admin, NODES);
        awaitLeaders(admin, List.of("failover"), 3);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
