package io.wharf.tests.process;

import java.nio.file.Path;
import java.util.Map;
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

    private static boolean newLeader(String topic, int old) {
        try {
            int now = cluster.leaderOf(topic, 0);
            return now != -1 && now != old;
        } catch (Exception notYet) {
            return false;
        }
    }
}
