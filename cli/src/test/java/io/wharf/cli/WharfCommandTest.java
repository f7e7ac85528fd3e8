package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The command tree itself: help, version, and mistakes caught before any broker is asked. */
class WharfCommandTest {

    private static Cli.Result wharf(String... args) {
        return Cli.exec(new byte[0], args);
    }

    @Test
    void printsItsVersion() {
        Cli.Result result = wharf("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("Wharf " + CliVersion.current() + "\n");
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        Cli.Result result = wharf("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("server", "topic", "produce", "consume", "group", "cluster")
                .contains("Exit codes:")
                .contains("  0     success")
                .contains("  1     usage error")
                .contains("  2     the broker could not be reached")
                .contains("  3     a topic, partition or group that was named does not exist");
    }

    @Test
    void everyCommandsHelpEndsWithTheExitCodes() {
        for (List<String> command : List.of(
                List.of("topic"),
                List.of("topic", "create"),
                List.of("topic", "describe"),
                List.of("produce"),
                List.of("consume"),
                List.of("group", "reset-offsets"),
                List.of("cluster"))) {
            Cli.Result result =
                    wharf(Stream.concat(command.stream(), Stream.of("--help")).toArray(String[]::new));
            assertThat(result.exitCode()).as("%s", command).isZero();
            assertThat(result.out()).as("%s", command).contains("Exit codes:", "  3     a topic, partition or group");
        }
    }

    @Test
    void withoutACommandItShowsUsageAndFails() {
        Cli.Result result = wharf();

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Usage: wharf");
    }

    @Test
    void aGroupCommandWithoutAnActionShowsItsUsageAndFails() {
        Cli.Result topic = wharf("topic");
        Cli.Result group = wharf("group");

        assertThat(topic.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(topic.err()).startsWith("Usage: wharf topic");
        assertThat(group.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(group.err()).startsWith("Usage: wharf group");
    }

    @Test
    void anUnknownCommandIsOneLine() {
        Cli.Result result = wharf("topics");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf: unmatched argument at index 0: 'topics' (see wharf --help)");
    }

    @Test
    void anUnknownOptionNamesTheCommand() {
        Cli.Result result = wharf("topic", "list", "--colour");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf topic list: unknown option: '--colour' (see wharf topic list --help)");
    }

    @Test
    void aBadTimeoutIsAUsageError() {
        Cli.Result unit = wharf("topic", "list", "--timeout", "5 fortnights");
        Cli.Result tooShort = wharf("topic", "list", "--timeout", "10ms");

        assertThat(unit.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unit.err()).contains("'5 fortnights' is not a duration such as 500ms, 5s or 1m");
        assertThat(tooShort.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(tooShort.err()).contains("'10ms' is outside 100 ms to 3600 s");
    }

    @Test
    void serverSaysWhereTheBrokerIs() {
        Cli.Result result = wharf("server", "--override", "node.id=2");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf: the broker is not part of this classpath; start it with bin/wharf server"
                        + " from the Wharf distribution");
    }

    @Test
    void anUnreadableCommandConfigIsAUsageError() {
        Cli.Result result = wharf("topic", "list", "--command-config", "/no/such/client.properties");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf: cannot read --command-config /no/such/client.properties: no such file");
    }
}
