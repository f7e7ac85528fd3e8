package io.wharf.tests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.tests.ChildJvm;
import io.wharf.tests.ChildJvm.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own command-line tools, and kcat, against three real {@code wharf server} processes, as an operator would
 * run them: {@code kafka-topics.sh}, {@code kafka-metadata-quorum.sh}, {@code kafka-reassign-partitions.sh} and
 * {@code kafka-leader-election.sh} are the main classes those scripts start, each run in a JVM of its own (they end
 * with {@code System.exit}).
 */
class ClusterToolsTest {

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

    private static Run tool(String main, String... args) throws Exception {
        return ChildJvm.run(main, args);
    }

    private static String bootstrap() {
        return cluster.bootstrapServers();
    }

    @Test
    void kafkaTopicsCreatesAndDescribesAReplicatedTopic() throws Exception {
        Run created = tool(
                "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server",
                bootstrap(),
                "--create",
                "--topic",
                "tools-topic",
                "--partitions",
                "3",
                "--replication-factor",
                "3");
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.output()).contains("Created topic tools-topic");

        cluster.awaitFullIsr("tools-topic", 3, 60);
        Run described = tool(
                "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server",
                bootstrap(),
                "--describe",
                "--topic",
                "tools-topic");
        assertThat(described.exitCode()).as(described.output()).isZero();
        assertThat(described.output()).contains("PartitionCount: 3").contains("ReplicationFactor: 3");
        assertThat(described.output().lines().filter(l -> l.contains("Partition: ")))
                .hasSize(3)
                .allMatch(l -> l.matches(".*Isr: \\d+,\\d+,\\d+.*"), "three in-sync replicas");

        Run tooMany = tool(
                "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server",
                bootstrap(),
                "--create",
                "--topic",
                "tools-too-many",
                "--partitions",
                "1",
                "--replication-factor",
                "4");
        assertThat(tooMany.exitCode()).isNotZero();
        assertThat(tooMany.output()).contains("InvalidReplicationFactor");
    }

    @Test
    void kafkaMetadataQuorumShowsThreeVotersAndTheirReplication() throws Exception {
        Run status = tool(
                "org.apache.kafka.tools.MetadataQuorumCommand",
                "--bootstrap-server",
                bootstrap(),
                "describe",
                "--status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        int leader = cluster.controllerLeader();
        assertThat(status.output()).containsPattern("LeaderId:\\s+" + leader).contains("CurrentVoters:");
        Run replication = tool(
                "org.apache.kafka.tools.MetadataQuorumCommand",
                "--bootstrap-server",
                bootstrap(),
                "describe",
                "--replication");
        assertThat(replication.exitCode()).as(replication.output()).isZero();
        assertThat(replication.output()).contains("Leader").contains("Follower");
        assertThat(replication.output().lines().filter(l -> l.matches("^\\d+\\s+.*")))
                .hasSize(3);
    }

    @Test
    void kafkaReassignPartitionsMovesAPartitionAndVerifiesIt() throws Exception {
        cluster.admin()
                .createTopics(List.of(new NewTopic("tools-moved", Map.of(0, List.of(1)))))
                .all()
                .get(30, TimeUnit.SECONDS);
        cluster.awaitFullIsr("tools-moved", 1, 60);
        Path plan = Files.writeString(
                dir.resolve("reassignment.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"tools-moved\",\"partition\":0,\"replicas\":[2]}]}");

        Run executed = tool(
                "org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
                "--bootstrap-server",
                bootstrap(),
                "--reassignment-json-file",
                plan.toString(),
                "--execute");
        assertThat(executed.exitCode()).as(executed.output()).isZero();
        assertThat(executed.output()).contains("Successfully started partition reassignment");

        ProcessCluster.await(60, "the reassignment to complete", () -> {
            try {
                Run verified = tool(
                        "org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
                        "--bootstrap-server",
                        bootstrap(),
                        "--reassignment-json-file",
                        plan.toString(),
                        "--verify");
                return verified.exitCode() == 0
                        && verified.output().contains("Reassignment of partition tools-moved-0 is completed");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        TopicPartitionInfo moved =
                cluster.describe(cluster.admin(), "tools-moved").get(0);
        assertThat(moved.replicas()).extracting(n -> n.id()).containsExactly(2);
        assertThat(moved.leader().id()).isEqualTo(2);
    }

    @Test
    void kafkaLeaderElectionElectsThePreferredLeaders() throws Exception {
        cluster.createTopic("tools-elected", 3, Map.of());
        cluster.awaitFullIsr("tools-elected", 3, 60);
        Run elected = tool(
                "org.apache.kafka.tools.LeaderElectionCommand",
                "--bootstrap-server",
                bootstrap(),
                "--election-type",
                "PREFERRED",
                "--topic",
                "tools-elected",
                "--partition",
                "0");
        assertThat(elected.exitCode()).as(elected.output()).isZero();
        assertThat(elected.output())
                .containsAnyOf(
                        "Successfully completed leader election (PREFERRED) for partitions tools-elected-0",
                        "Valid replica already elected for partitions tools-elected-0");
        TopicPartitionInfo partition =
                cluster.describe(cluster.admin(), "tools-elected").get(0);
        assertThat(partition.leader().id())
                .isEqualTo(partition.replicas().get(0).id());
    }

    @Test
    void kcatListsThreeBrokers() throws Exception {
        Run listed = ChildJvm.run(List.of("kcat", "-b", bootstrap(), "-L", "-m", "30"));
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output()).contains(" 3 brokers:");
    }
}
