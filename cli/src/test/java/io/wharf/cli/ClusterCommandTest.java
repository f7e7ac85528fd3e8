package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import org.junit.jupiter.api.Test;

/** {@code wharf cluster} end to end. */
@WharfBroker(configs = "node.id=7")
class ClusterCommandTest {

    @Test
    void showsTheClusterAndItsBrokers(EmbeddedBroker broker) {
        Cli.Result result = new Cli(broker.bootstrapServers()).run("cluster");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines().get(0)).matches("cluster id  [A-Za-z0-9_-]{22}");
        assertThat(result.outLines())
                .contains(
                        "controller  7",
                        "features    transaction.version=2",
                        "version     wharf " + CliVersion.current() + " (this command)",
                        "partitions  0 in all, 0 under-replicated, 0 leaderless",
                        "7       127.0.0.1  " + broker.port() + "  -     active");
        assertThat(result.outLines().get(11)).matches("7 +leader +\\d+ +0");
        assertThat(result.outLines().get(2)).matches("quorum      leader 7, epoch \\d+, high watermark \\d+");
        assertThat(result.outLines().get(7).split(" +")).containsExactly("BROKER", "HOST", "PORT", "RACK", "STATE");
        assertThat(result.outLines().get(10).split(" +")).containsExactly("VOTER", "ROLE", "LOG", "END", "LAG");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void printsJson(EmbeddedBroker broker) {
        Cli.Result result = new Cli(broker.bootstrapServers()).run("cluster", "--output", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .matches("\\{\"clusterId\":\"[A-Za-z0-9_-]{22}\",\"controller\":7,"
                        + "\"brokers\":\\[\\{\"id\":7,\"host\":\"127.0.0.1\",\"port\":" + broker.port()
                        + ",\"rack\":null,\"fenced\":false}],"
                        + "\"quorum\":\\{\"leader\":7,\"epoch\":\\d+,\"highWatermark\":\\d+,"
                        + "\"voters\":\\[\\{\"id\":7,\"logEndOffset\":\\d+,\"lag\":0}]},"
                        + "\"features\":\\{\"transaction.version\":\\{\"min\":2,\"max\":2}},"
                        + "\"partitions\":\\{\"total\":0,\"underReplicated\":0,\"leaderless\":0,\"unhealthy\":\\[]},"
                        + "\"version\":\"[^\"]+\"}\\n");
    }

    @Test
    void theVersionIsTheBuilds() {
        assertThat(CliVersion.current()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
