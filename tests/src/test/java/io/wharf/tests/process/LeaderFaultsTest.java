package io.wharf.tests.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a partition's leader on a three-node cluster of real processes, under an idempotent {@code acks=all}
 * load on a topic with three replicas and {@code min.insync.replicas=2}: each test ends with every node running
 * again, every replica back in the ISR, and every acknowledged record in the log, once, at its offset.
 */
class LeaderFaultsTest {

    private static final int PARTITIONS = 3;

    @TempDir
    static Path dir;

    private static ProcessCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ProcessCluster.startLocal(dir, 3, Map.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void everyNodeRunsAgain() throws Exception {
        for (BrokerNode node : cluster.nodes()) {
            node.resumeIfPaused();
        }
        cluster.restartStopped();
    }

    @Test
    void theLeaderKilledRepeatedlyLosesNothingAcknowledged() throws Exception {
        String topic = "killed-leader";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), topic, PARTITIONS);
        try {
            for (int round = 0; round < ProcessCluster.rounds(3); round++) {
                load.awaitMoreAcks(300, 60);
                int leader = cluster.leaderOf(topic, 0);
                ProcessCluster.step("round " + round + ": SIGKILL of node " + leader + ", leading " + topic + "-0");
                cluster.node(leader).kill();
                ProcessCluster.await(30, "a new leader of " + topic + "-0", () -> newLeader(topic, leader));
                ProcessCluster.step("new leader " + cluster.leaderOf(topic, 0));
                load.awaitMoreAcks(300, 60);
                ProcessCluster.step("restarting node " + leader);
                cluster.restart(leader);
                cluster.awaitFullIsr(topic, 3, 60);
                ProcessCluster.step("every replica in sync");
            }
            load.awaitMoreAcks(200, 60);
        } finally {
            load.close();
        }
        AckedLog.verify(cluster.bootstrapServers(), topic, PARTITIONS, load.acknowledged);
    }

    @Test
    void aLeaderPausedForLongerThanItsSessionIsFencedStepsDownAndRejoins() throws Exception {
        String topic = "paused-leader";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), topic, PARTITIONS);
        try {
            for (int round = 0; round < ProcessCluster.rounds(1); round++) {
                load.awaitMoreAcks(300, 60);
                int leader = cluster.leaderOf(topic, 0);
                ProcessCluster.step("round " + round + ": SIGSTOP of node " + leader + ", leading " + topic + "-0");
                cluster.node(leader).pause();
                ProcessCluster.await(30, "a new leader of " + topic + "-0", () -> newLeader(topic, leader));
                ProcessCluster.step("new leader " + cluster.leaderOf(topic, 0));
                load.awaitMoreAcks(300, 60);
                // Well past its session: the controller has fenced it, and its own lease has run out.
                ProcessCluster.sleep(Duration.ofMillis(ProcessCluster.SESSION_TIMEOUT_MS));
                ProcessCluster.step("SIGCONT of node " + leader);
                cluster.node(leader).resume();
                cluster.awaitFullIsr(topic, 3, 60);
                ProcessCluster.step("every replica in sync");
            }
            load.awaitMoreAcks(300, 60);
        } finally {
            load.close();
        }
        AckedLog.verify(cluster.bootstrapServers(), topic, PARTITIONS, load.acknowledged);
    }

    @Test
    void aFollowerThatLostTheTailOfItsLogCatchesUpFromTheLeaderAndThenLeadsWithEverything() throws Exception {
        String topic = "lost-tail";
        int leader = 1;
        int follower = 2;
        // Two replicas, the follower the only other one: once the leader dies, it must hold every acknowledged record.
        cluster.admin()
                .createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(leader, follower)))
                        .configs(Map.of("min.insync.replicas", "1"))))
                .all()
                .get(60, TimeUnit.SECONDS);
        cluster.awaitFullIsr(topic, 2, 60);
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), topic, 1);
        try {
            for (int round = 0; round < ProcessCluster.rounds(1); round++) {
                load.awaitMoreAcks(500, 60);
                ProcessCluster.step("round " + round + ": SIGKILL of follower " + follower);
                cluster.node(follower).kill();
                long cut = LostTail.cut(cluster.node(follower).dataDir, topic, 0);
                ProcessCluster.step("cut " + cut + " bytes off its log and emptied its journal");
                int gone = follower;
                ProcessCluster.await(30, "the ISR without node " + gone, () -> isrWithout(topic, gone));
                load.awaitMoreAcks(300, 60);
                cluster.restart(follower);
                cluster.awaitFullIsr(topic, 2, 60);
                ProcessCluster.step("node " + follower + " back in the ISR; SIGKILL of leader " + leader);
                load.awaitMoreAcks(200, 60);
                cluster.node(leader).kill();
                int next = follower;
                ProcessCluster.await(30, "node " + next + " leading", () -> ledBy(topic, next));
                load.awaitMoreAcks(200, 60);
                // Read from the one replica left: everything acknowledged so far must be on it.
                AckedLog.verify(cluster.bootstrapServers(), topic, 1, new HashMap<>(load.acknowledged));
                cluster.restart(leader);
                cluster.awaitFullIsr(topic, 2, 60);
                leader = next;
                follower = 3 - next;
            }
        } finally {
            load.close();
        }
        AckedLog.verify(cluster.bootstrapServers(), topic, 1, load.acknowledged);
    }

    private static boolean ledBy(String topic, int id) {
        try {
            return cluster.leaderOf(topic, 0) == id;
        } catch (Exception notYet) {
            return false;
        }
    }

    @Test
    void withTwoOfThreeBrokersDownAcksAllIsRefusedAndResumesWhenTheyReturn() throws Exception {
        String topic = "two-down";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        Map<AckedLoad.Place, String> acknowledged = new HashMap<>();
        AckedLoad before = new AckedLoad(cluster.bootstrapServers(), topic, PARTITIONS, "before-", Map.of());
        try {
            before.awaitMoreAcks(300, 60);
        } finally {
            before.close();
        }
        acknowledged.putAll(before.acknowledged);

        int survivor = cluster.leaderOf(topic, 0);
        List<Integer> downed = new ArrayList<>();
        for (BrokerNode node : cluster.nodes()) {
            if (node.id != survivor) {
                ProcessCluster.step("SIGKILL of node " + node.id);
                node.kill();
                downed.add(node.id);
            }
        }
        // Sends during the outage may time out or be refused; none may be acknowledged (and then lost).
        AckedLoad during = new AckedLoad(
                cluster.bootstrapServers(),
                topic,
                PARTITIONS,
                "during-",
                Map.of(
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        8_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        3_000));
        try {
            ProcessCluster.sleep(Duration.ofMillis(2L * ProcessCluster.SESSION_TIMEOUT_MS));
        } finally {
            during.close();
        }
        assertThat(during.acknowledged)
                .as("acknowledged with two of three replicas down")
                .isEmpty();
        assertThat(during.failures()).as("sends refused during the outage").isNotEmpty();

        for (int id : downed) {
            ProcessCluster.step("restarting node " + id);
            cluster.restart(id);
        }
        cluster.awaitBrokers(3);
        cluster.awaitFullIsr(topic, 3, 60);
        AckedLoad after = new AckedLoad(cluster.bootstrapServers(), topic, PARTITIONS, "after-", Map.of());
        try {
            after.awaitMoreAcks(300, 60);
        } finally {
            after.close();
        }
        assertThat(after.failures()).isEmpty();
        acknowledged.putAll(after.acknowledged);
        AckedLog.verify(cluster.bootstrapServers(), topic, PARTITIONS, acknowledged);
    }

    @Test
    void aRollingRestartUnderLoadFailsNoSend() throws Exception {
        String topic = "rolling";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        // A send that stalls for longer than this fails, and the test with it.
        AckedLoad load = new AckedLoad(
                cluster.bootstrapServers(),
                topic,
                PARTITIONS,
                "v",
                Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000));
        try {
            for (int round = 0; round < ProcessCluster.rounds(1); round++) {
                for (BrokerNode node : cluster.nodes()) {
                    load.awaitMoreAcks(200, 60);
                    ProcessCluster.step("round " + round + ": SIGTERM (controlled shutdown) of node " + node.id);
                    node.stop();
                    load.awaitMoreAcks(200, 60);
                    cluster.restart(node.id);
                    cluster.awaitBrokers(3);
                    cluster.awaitFullIsr(topic, 3, 60);
                    ProcessCluster.step("node " + node.id + " back in every ISR");
                }
            }
            load.awaitMoreAcks(200, 60);
        } finally {
            load.close();
        }
        assertThat(load.failures())
                .as("sends that failed during the rolling restart")
                .isEmpty();
        AckedLog.verify(cluster.bootstrapServers(), topic, PARTITIONS, load.acknowledged);
    }

    @Test
    void theControllerKilledWhileTopicsAreCreatedAndIsrsChangeLosesNothing() throws Exception {
        String topic = "controller-failover";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), topic, PARTITIONS);
        TopicCreator creator = new TopicCreator(cluster.bootstrapServers(), "created-");
        try {
            for (int round = 0; round < ProcessCluster.rounds(1); round++) {
                load.awaitMoreAcks(300, 60);
                int controller = cluster.controllerLeader();
                int follower = cluster.nodes().stream()
                        .map(n -> n.id)
                        .filter(id -> id != controller)
                        .findFirst()
                        .orElseThrow();
                ProcessCluster.step("round " + round + ": SIGKILL of node " + follower + "; ISRs shrink");
                cluster.node(follower).kill();
                ProcessCluster.await(30, "ISRs without node " + follower, () -> isrWithout(topic, follower));
                // Node `follower` returns and catches up: its replicas join the ISRs while the controller dies.
                cluster.restart(follower);
                ProcessCluster.step("SIGKILL of node " + controller + ", the active controller");
                cluster.node(controller).kill();
                ProcessCluster.await(30, "another active controller", () -> otherController(controller));
                ProcessCluster.step("active controller " + cluster.controllerLeader());
                load.awaitMoreAcks(300, 60);
                cluster.restart(controller);
                cluster.awaitBrokers(3);
                cluster.awaitFullIsr(topic, 3, 60);
            }
            load.awaitMoreAcks(200, 60);
        } finally {
            creator.close();
            load.close();
        }
        ProcessCluster.step(creator.created().size() + " topics created");
        assertThat(creator.created()).as("topics created during the failovers").isNotEmpty();
        for (String created : creator.created()) {
            cluster.awaitFullIsr(created, 3, 60);
            assertThat(cluster.describe(cluster.admin(), created)).hasSize(TopicCreator.PARTITIONS);
        }
        AckedLog.verify(cluster.bootstrapServers(), topic, PARTITIONS, load.acknowledged);
    }

    private static boolean isrWithout(String topic, int id) {
        try {
            return cluster.describe(cluster.admin(), topic).stream()
                    .allMatch(p -> p.isr().stream().noneMatch(n -> n.id() == id));
        } catch (Exception notYet) {
            return false;
        }
    }

    private static boolean otherController(int old) {
        try {
            int now = cluster.controllerLeader();
            return now != -1 && now != old;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static boolean newLeader(String topic, int old) {
        try {
            int now = cluster.leaderOf(topic, 0);
            return now != -1 && now != old;
        } catch (Exception notYet) {
            return false;
        }
    }
}
