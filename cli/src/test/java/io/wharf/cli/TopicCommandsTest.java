package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code wharf topic create|list|describe} end to end against an embedded broker. */
@WharfBroker(configs = "num.partitions=2")
class TopicCommandsTest {

    private Cli cli;

    @BeforeEach
    void connect(EmbeddedBroker broker) {
        cli = new Cli(broker.bootstrapServers());
    }

    @Test
    void createsATopicWithTheBrokersDefaults() {
        Cli.Result result = cli.run("topic", "create", "defaults");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("created topic defaults with 2 partitions, replication factor 1\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void createsATopicWithPartitionsAndSettings() {
        Cli.Result created = cli.run("topic", "create", "shaped", "-p", "3", "-r", "1", "-c", "retention.ms=60000");

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("created topic shaped with 3 partitions");
        Cli.Result described = cli.run("topic", "describe", "shaped", "--output", "json");
        assertThat(described.out()).contains("\"name\":\"shaped\"").contains("\"partition\":2");
    }

    @Test
    void refusesToCreateATopicTwiceUnlessAskedToTolerateIt() {
        assertThat(cli.run("topic", "create", "twice").exitCode()).isZero();

        Cli.Result again = cli.run("topic", "create", "twice");
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(again.errLines()).containsExactly("wharf: topic 'twice' already exists");

        Cli.Result tolerated = cli.run("topic", "create", "twice", "--if-not-exists");
        assertThat(tolerated.exitCode()).isZero();
        assertThat(tolerated.out()).isEqualTo("topic twice already exists\n");
    }

    @Test
    void reportsTheBrokersReasonForRefusingASetting() {
        Cli.Result result = cli.run("topic", "create", "bad-setting", "-c", "retention.ms=banana");

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err())
                .startsWith("wharf: the broker refused the request: ")
                .contains("retention.ms");
    }

    @Test
    void refusesAPartitionCountBelowOneWithoutAskingTheBroker() {
        Cli.Result result = cli.run("topic", "create", "empty", "-p", "0");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf: --partitions and --replication-factor must be at least 1");
    }

    @Test
    void listsTopicsSortedAsPlainLinesOrJson() {
        cli.run("topic", "create", "list-b");
        cli.run("topic", "create", "list-a");

        Cli.Result plain = cli.run("topic", "list");
        assertThat(plain.exitCode()).isZero();
        List<String> names = plain.outLines();
        assertThat(names).contains("list-a", "list-b").isSorted();

        Cli.Result json = cli.run("topic", "list", "-o", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).startsWith("[").contains("\"list-a\",\"list-b\"");
    }

    @Test
    void describesPartitionsWithLeadersAndOffsets() {
        cli.run("topic", "create", "described", "-p", "2");
        cli.runWithInput("a\nb\nc\n", "produce", "described", "--partition", "1");

        Cli.Result result = cli.run("topic", "describe", "described");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.outLines();
        assertThat(lines.get(0).split("\\s+"))
                .containsExactly("TOPIC", "ID", "PARTITIONS", "REPLICATION-FACTOR", "CONFIGS");
        assertThat(lines.get(1).split("\\s+")).startsWith("described").contains("2", "1");
        assertThat(lines.get(2)).isEmpty();
        assertThat(lines.get(3).split("\\s+"))
                .containsExactly("TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "START-OFFSET", "END-OFFSET");
        assertThat(lines.get(4).split("\\s+")).containsExactly("described", "0", "1", "1", "1", "0", "0");
        assertThat(lines.get(5).split("\\s+")).containsExactly("described", "1", "1", "1", "1", "0", "3");
        assertThat(lines).hasSize(6);
    }

    @Test
    void describesAsJson() {
        cli.run("topic", "create", "json-described", "-p", "1");

        Cli.Result result = cli.run("topic", "describe", "json-described", "--output", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .startsWith("[{\"name\":\"json-described\",\"id\":\"")
                .contains("\"internal\":false,\"replicationFactor\":1")
                .contains("\"partitions\":[{\"partition\":0,\"leader\":1,\"replicas\":[1],\"isr\":[1],"
                        + "\"startOffset\":0,\"endOffset\":0}]");
    }

    @Test
    void describingAnUnknownTopicSaysWhichOne() {
        cli.run("topic", "create", "known");

        Cli.Result result = cli.run("topic", "describe", "known", "unknown");

        assertThat(result.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(result.errLines()).containsExactly("wharf: topic 'unknown' does not exist");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aMissingTopicNameIsAUsageError() {
        Cli.Result result = cli.run("topic", "create");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err())
                .startsWith("wharf topic create: missing required parameter")
                .contains("--help");
    }

    @Test
    void alteringATopicThatDoesNotExistIsNotFound() {
        Cli.Result result = cli.run("topic", "alter", "never-created", "-p", "4");

        assertThat(result.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(result.errLines()).containsExactly("wharf: topic 'never-created' does not exist");
    }

    @Test
    void alteringNothingIsAUsageError() {
        Cli.Result result = cli.run("topic", "alter", "anything");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf: nothing to change: give --partitions, --config or --delete-config");
    }
}
