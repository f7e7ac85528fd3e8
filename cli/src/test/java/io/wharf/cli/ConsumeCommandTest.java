package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wharf consume} without a group, end to end. Topic {@code numbers} has two partitions: partition 0 holds
 * {@code k0:n0 … k9:n9}, partition 1 holds {@code p1-0 … p1-4} without keys, each written once before the tests.
 */
@WharfBroker
class ConsumeCommandTest {

    private static long middleTimestamp;

    private Cli cli;

    @BeforeAll
    static void fill(EmbeddedBroker broker) throws Exception {
        Cli cli = new Cli(broker.bootstrapServers());
        assertThat(cli.run("topic", "create", "numbers", "-p", "2").exitCode()).isZero();
        List<String[]> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(new String[] {"k" + i, "n" + i});
        }
        Records.send(broker.bootstrapServers(), "numbers", 0, first);
        Thread.sleep(5);
        middleTimestamp = Instant.now().toEpochMilli();
        Thread.sleep(5);
        List<String[]> second = new ArrayList<>();
        for (int i = 5; i < 10; i++) {
            second.add(new String[] {"k" + i, "n" + i});
        }
        Records.send(broker.bootstrapServers(), "numbers", 0, second);
        List<String[]> unkeyed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            unkeyed.add(new String[] {null, "p1-" + i});
        }
        Records.send(broker.bootstrapServers(), "numbers", 1, unkeyed);
    }

    @BeforeEach
    void connect(EmbeddedBroker broker) {
        cli = new Cli(broker.bootstrapServers());
    }

    @Test
    void readsEverythingFromTheBeginningAndStopsAtTheEnd() {
        Cli.Result result = cli.run("consume", "numbers", "--from-beginning", "--exit-at-end");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines())
                .hasSize(15)
                .containsSubsequence("n0", "n1", "n9")
                .containsSubsequence("p1-0", "p1-4");
        assertThat(result.errLines()).containsExactly("consumed 15 records");
    }

    @Test
    void printsKeysWithASeparator() {
        Cli.Result result = cli.run(
                "consume", "numbers", "-p", "1", "--from-beginning", "-e", "--print-key", "--key-separator", "=");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines()).containsExactly("null=p1-0", "null=p1-1", "null=p1-2", "null=p1-3", "null=p1-4");
    }

    @Test
    void startsAtAnOffsetOrCountingBackFromTheEnd() {
        Cli.Result fromOffset = cli.run("consume", "numbers", "-p", "0", "--offset", "7", "-e");
        Cli.Result fromEnd = cli.run("consume", "numbers", "-p", "0", "--offset", "-2", "-e");
        Cli.Result pastEnd = cli.run("consume", "numbers", "-p", "0", "--offset", "1000", "-e");

        assertThat(fromOffset.outLines()).containsExactly("n7", "n8", "n9");
        assertThat(fromEnd.outLines()).containsExactly("n8", "n9");
        assertThat(pastEnd.exitCode()).isZero();
        assertThat(pastEnd.out()).isEmpty();
    }

    @Test
    void startsAtATime() {
        Cli.Result epochMillis =
                cli.run("consume", "numbers", "-p", "0", "--from-time", Long.toString(middleTimestamp), "-e");
        Cli.Result iso = cli.run(
                "consume",
                "numbers",
                "-p",
                "0",
                "--from-time",
                Instant.ofEpochMilli(middleTimestamp).toString(),
                "-e");
        Cli.Result future = cli.run("consume", "numbers", "-p", "0", "--from-time", "2999-01-01T00:00:00Z", "-e");

        assertThat(epochMillis.outLines()).containsExactly("n5", "n6", "n7", "n8", "n9");
        assertThat(iso.outLines()).isEqualTo(epochMillis.outLines());
        assertThat(future.exitCode()).isZero();
        assertThat(future.out()).isEmpty();
    }

    @Test
    void stopsAfterACount() {
        Cli.Result result = cli.run("consume", "numbers", "-p", "0", "--from-beginning", "-n", "3");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("n0", "n1", "n2");
        assertThat(result.errLines()).containsExactly("consumed 3 records");
    }

    @Test
    void printsJsonLines() {
        Cli.Result result = cli.run("consume", "numbers", "-p", "0", "--offset", "9", "-e", "--output", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("{\"topic\":\"numbers\",\"partition\":0,\"offset\":9,\"timestamp\":")
                        .endsWith(",\"key\":\"k9\",\"value\":\"n9\",\"headers\":[]}"));
    }

    @Test
    void passesValueBytesThroughUnchanged() {
        byte[] input = {(byte) 0xff, 0x00, (byte) 0xc3, '\n'};
        assertThat(cli.runWithInput(input, "produce", "raw").exitCode()).isZero();

        Cli.Result result = cli.run("consume", "raw", "--from-beginning", "-e");

        assertThat(result.outBytes()).containsExactly(input);
    }

    @Test
    void withoutAStartItWaitsForNewRecordsOnly() {
        Cli.Result result = cli.run("consume", "numbers", "-e");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("consumed 0 records");
    }

    @Test
    void anUnknownTopicIsNotFoundAndNotCreated() {
        Cli.Result result = cli.run("consume", "no-such-topic", "--from-beginning", "-e");

        assertThat(result.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(result.errLines()).containsExactly("wharf: topic 'no-such-topic' does not exist");
        assertThat(cli.run("topic", "list").outLines()).doesNotContain("no-such-topic");
    }

    @Test
    void anUnknownPartitionIsNotFound() {
        Cli.Result result = cli.run("consume", "numbers", "-p", "7", "-e");

        assertThat(result.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(result.errLines()).containsExactly("wharf: topic 'numbers' has no partition 7 (it has 2)");
    }

    @Test
    void startingPointsExcludeEachOther() {
        Cli.Result result = cli.run("consume", "numbers", "--from-beginning", "--offset", "3");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains("mutually exclusive").contains("(see wharf consume --help)");
    }

    @Test
    void anOffsetCannotBeCombinedWithAGroup() {
        Cli.Result result = cli.run("consume", "numbers", "--group", "g", "--offset", "3");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("wharf: --offset and --from-time cannot be used with --group");
    }

    @Test
    void aTimeThatDoesNotParseIsAUsageError() {
        Cli.Result result = cli.run("consume", "numbers", "--from-time", "yesterday");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf: 'yesterday' is not a time: give epoch milliseconds or ISO-8601 such as"
                        + " 2024-05-01T12:00:00Z");
    }
}
