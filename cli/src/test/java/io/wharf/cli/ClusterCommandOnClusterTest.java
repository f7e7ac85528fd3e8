package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.embedded.junit.WharfCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** {@code wharf cluster} on three brokers: the quorum's voters, a fenced broker and the partitions it leaves short. */
@WharfCluster(brokers = 3)
class ClusterCommandOnClusterTest {

    @Test
    void showsVotersFencedBrokersAndUnderReplicatedPartitions(EmbeddedCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("ledger", 3, (short) 3)))
                    .all()
                    .get();
        }
        Cli cli = new Cli(cluster.bootstrapServers());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cli.run("cluster").outLines())
                        .contains("partitions  3 in all, 0 under-replicated, 0 leaderless"));
        Cli.Result healthy = cli.run("cluster");
        assertThat(healthy.outLines()).anyMatch(line -> line.matches("1 +127\\.0\\.0\\.1 +\\d+ +- +active"));
        assertThat(healthy.outLines().stream().filter(line -> line.matches("[123] +(leader|follower) +\\d+ +\\d+")))
                .hasSize(3);

        cluster.stop(3);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Cli.Result result = cli.run("cluster");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.outLines())
                    .contains("partitions  3 in all, 3 under-replicated, 0 leaderless")
                    .anyMatch(line -> line.matches("3 +127\\.0\\.0\\.1 +\\d+ +- +fenced"))
                    .anyMatch(line -> line.matches("ledger +0 +[12] +[123,]+ +[12],[12] +under-replicated"));
        });
    }
}
