package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The quick reading of plain {@code wharf server} arguments agrees with picocli's, and leaves the rest to it. */
class ServerArgumentsTest {

    @Test
    void plainOptionsAreReadWithoutPicocli() {
        Optional<ServerMain> read = ServerMain.plainOptions(new String[] {
            "--config", "config/server.properties", "--override", "node.id=2", "--override=log.dirs=/tmp/a=b"
        });

        assertThat(read).isPresent();
        assertThat(read.get().configFile()).isEqualTo(Path.of("config/server.properties"));
        assertThat(read.get().overrides()).containsExactly("node.id=2", "log.dirs=/tmp/a=b");
    }

    @Test
    void helpVersionAndMistakesAreLeftToPicocli() {
        for (String[] args : List.of(
                new String[] {"--help"},
                new String[] {"-V"},
                new String[] {"--config"},
                new String[] {"--config", "a", "--config", "b"},
                new String[] {"--overide", "x=1"},
                new String[] {"--override", "--config", "a"},
                new String[] {"positional"})) {
            assertThat(ServerMain.plainOptions(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Property(tries = 500)
    void whateverIsReadQuicklyPicocliReadsTheSame(@ForAll("arguments") List<String> arguments) {
        String[] args = arguments.toArray(String[]::new);
        Optional<ServerMain> quick = ServerMain.plainOptions(args);
        if (quick.isEmpty()) {
            return;
        }
        ServerMain parsed = new ServerMain();
        new CommandLine(parsed).parseArgs(args);
        assertThat(quick.get().configFile()).isEqualTo(parsed.configFile());
        assertThat(quick.get().overrides()).isEqualTo(parsed.overrides());
    }

    @Provide
    Arbitrary<List<String>> arguments() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of(
                        "--config",
                        "--override",
                        "--config=server.properties",
                        "--override=a=b",
                        "--override=",
                        "-h",
                        "--version",
                        "--",
                        "-x",
                        ""),
                Arbitraries.strings().withChars("ab=.-/").ofMaxLength(6));
        return token.list().ofMaxSize(6);
    }
}
