package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/cli.md is hand-written; this keeps its exit codes and command list in step with the code. */
class CliDocsTest {

    private static String guide;

    @BeforeAll
    static void read() throws Exception {
        guide = Files.readString(Path.of(System.getProperty("wharf.repository.root", ".."), "docs", "cli.md"));
    }

    @Test
    void listsEveryExitCodeAsTheHelpDoes() {
        for (Map.Entry<String, String> code : ExitCode.descriptions().entrySet()) {
            assertThat(guide).contains("| " + code.getKey() + " | " + code.getValue() + " |");
        }
    }

    @Test
    void coversEveryCommand() {
        CommandLine root = Wharf.commandLine(
                InputStream.nullInputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        for (Map.Entry<String, CommandLine> command : root.getSubcommands().entrySet()) {
            if (command.getKey().equals("help")) {
                continue;
            }
            assertThat(guide).contains("wharf " + command.getKey());
            for (String sub : command.getValue().getSubcommands().keySet()) {
                assertThat(guide).contains("wharf " + command.getKey() + " " + sub);
            }
        }
    }
}
