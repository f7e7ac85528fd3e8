package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wharf topic alter|delete} and the settings column of {@code describe}, end to end. They need the broker's
 * CreatePartitions, IncrementalAlterConfigs, DescribeConfigs and DeleteTopics.
 */
@WharfBroker
class TopicAdminCommandsTest {

    private Cli cli;

    @BeforeEach
    void connect(EmbeddedBroker broker) {
        cli = new Cli(broker.bootstrapServers());
    }

    @Test
    void addsPartitions() {
        cli.run("topic", "create", "growing", "-p", "1");

        Cli.Result result = cli.run("topic", "alter", "growing", "--partitions", "3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("topic growing now has 3 partitions\n");
        assertThat(cli.run("topic", "describe", "growing").out()).containsPattern("growing +2 +1 +1 +1 +0 +0");
    }

    @Test
    void refusesToRemovePartitionsWithTheBrokersReason() {
        cli.run("topic", "create", "shrinking", "-p", "3");

        Cli.Result result = cli.run("topic", "alter", "shrinking", "--partitions", "2");

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("wharf: the broker refused the request: ");
    }

    @Test
    void setsAndRemovesSettingsAndDescribeShowsThem() {
        cli.run("topic", "create", "tuned", "-p", "1", "-c", "cleanup.policy=compact");

        Cli.Result set = cli.run("topic", "alter", "tuned", "-c", "retention.ms=60000");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).isEqualTo("set retention.ms=60000 on topic tuned\n");
        Cli.Result described = cli.run("topic", "describe", "tuned");
        assertThat(described.err()).isEmpty();
        assertThat(described.out()).containsPattern("tuned +\\S+ +1 +1 +cleanup.policy=compact,retention.ms=60000\n");

        Cli.Result removed = cli.run("topic", "alter", "tuned", "--delete-config", "retention.ms");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.out()).isEqualTo("removed retention.ms from topic tuned\n");
        assertThat(cli.run("topic", "describe", "tuned", "-o", "json").out())
                .contains("\"configs\":{\"cleanup.policy\":\"compact\"}");
    }

    @Test
    void refusesAnInvalidSetting() {
        cli.run("topic", "create", "strict", "-p", "1");

        Cli.Result result = cli.run("topic", "alter", "strict", "-c", "retention.ms=never");

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(result.err())
                .startsWith("wharf: the broker refused the request: ")
                .contains("retention.ms");
    }

    @Test
    void deletesTopics() {
        cli.run("topic", "create", "doomed-1");
        cli.run("topic", "create", "doomed-2");

        Cli.Result result = cli.run("topic", "delete", "doomed-1", "doomed-2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines()).containsExactly("deleted topic doomed-1", "deleted topic doomed-2");
        assertThat(cli.run("topic", "list").outLines()).doesNotContain("doomed-1", "doomed-2");
    }

    @Test
    void deletingATopicThatDoesNotExistIsNotFoundUnlessTolerated() {
        cli.run("topic", "create", "survivor");

        Cli.Result missing = cli.run("topic", "delete", "ghost", "survivor");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(missing.out()).isEqualTo("deleted topic survivor\n");
        assertThat(missing.errLines()).containsExactly("wharf: topic 'ghost' does not exist");

        Cli.Result tolerated = cli.run("topic", "delete", "ghost", "--if-exists");
        assertThat(tolerated.exitCode()).isZero();
        assertThat(tolerated.out()).isEqualTo("topic ghost does not exist\n");
    }
}
