package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that needs a broker, pointed at a port nobody listens on: one line, exit code 2. */
class UnreachableBrokerTest {

    private static String nowhere;

    @BeforeAll
    static void findAClosedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = "127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static Cli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-b", nowhere, "--timeout", "500ms"));
        return Cli.exec("x\n".getBytes(StandardCharsets.UTF_8), all.toArray(String[]::new));
    }

    @Test
    void everyCommandSaysWhereItTriedInOneLine() {
        List<List<String>> commands = List.of(
                List.of("topic", "create", "t"),
                List.of("topic", "list"),
                List.of("topic", "describe", "t"),
                List.of("topic", "alter", "t", "-p", "2"),
                List.of("topic", "delete", "t"),
                List.of("produce", "t"),
                List.of("consume", "t"),
                List.of("group", "list"),
                List.of("group", "describe", "g"),
                List.of("group", "reset-offsets", "g", "--topic", "t", "--to-earliest"),
                List.of("group", "delete", "g"),
                List.of("cluster"));
        for (List<String> command : commands) {
            Cli.Result result = run(command.toArray(String[]::new));
            assertThat(result.exitCode()).as("%s: %s", command, result).isEqualTo(ExitCode.FAILED);
            assertThat(result.errLines())
                    .as("%s", command)
                    .containsExactly("wharf: cannot reach a broker at " + nowhere + " (tried for 500 ms)");
            assertThat(result.out()).as("%s", command).isEmpty();
        }
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result result = run("topic", "list", "--verbose");

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(result.errLines().get(0))
                .isEqualTo("wharf: cannot reach a broker at " + nowhere + " (tried for 500 ms)");
        assertThat(result.errLines().size()).isGreaterThan(3);
        assertThat(result.err())
                .contains("io.wharf.cli.CliException", "org.apache.kafka.common.errors.TimeoutException");
    }

    @Test
    void theBootstrapServerCanComeFromTheCommandConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("client.properties");
        Files.writeString(config, "bootstrap.servers=" + nowhere + "\nclient.id=from-file\n");

        Cli.Result result =
                Cli.exec(new byte[0], "topic", "list", "--command-config", config.toString(), "--timeout", "500ms");

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(result.errLines())
                .containsExactly("wharf: cannot reach a broker at " + nowhere + " (tried for 500 ms)");
    }
}
