package io.wharf.cli.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.cli.CliException;
import org.junit.jupiter.api.Test;

class EscapesTest {

    @Test
    void replacesTheEscapesShellsMakeHardToType() {
        assertThat(new String(Escapes.separator("--x", "\\t|\\n|\\r|\\0|\\\\|\\q|\\"), UTF_8))
                .isEqualTo("\t|\n|\r|\0|\\|\\q|\\");
        assertThat(Escapes.separator("--x", "→")).isEqualTo("→".getBytes(UTF_8));
    }

    @Test
    void refusesAnEmptySeparator() {
        assertThatThrownBy(() -> Escapes.separator("--record-separator", ""))
                .isInstanceOf(CliException.class)
                .hasMessage("--record-separator must not be empty");
    }
}
