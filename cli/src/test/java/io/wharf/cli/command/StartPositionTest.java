package io.wharf.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.cli.CliException;
import org.junit.jupiter.api.Test;

class StartPositionTest {

    @Test
    void resolvesEachKindWithinThePartition() {
        assertThat(StartPosition.BEGINNING.resolve(5, 20, -1)).isEqualTo(5);
        assertThat(StartPosition.END.resolve(5, 20, -1)).isEqualTo(20);
        assertThat(StartPosition.offset(12).resolve(5, 20, -1)).isEqualTo(12);
        assertThat(StartPosition.offset(2).resolve(5, 20, -1)).isEqualTo(5);
        assertThat(StartPosition.offset(99).resolve(5, 20, -1)).isEqualTo(20);
        assertThat(StartPosition.offset(-3).resolve(5, 20, -1)).isEqualTo(17);
        assertThat(StartPosition.offset(-30).resolve(5, 20, -1)).isEqualTo(5);
        assertThat(StartPosition.time("1").resolve(5, 20, 9)).isEqualTo(9);
        assertThat(StartPosition.time("1").resolve(5, 20, -1)).isEqualTo(20);
    }

    @Test
    void parsesEpochMillisAndIsoTimes() {
        assertThat(StartPosition.parseTime("1714564800000")).isEqualTo(1714564800000L);
        assertThat(StartPosition.parseTime("2024-05-01T12:00:00Z")).isEqualTo(1714564800000L);
        assertThat(StartPosition.parseTime("2024-05-01T14:00:00+02:00")).isEqualTo(1714564800000L);
        assertThatThrownBy(() -> StartPosition.parseTime("2024-05-01"))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("'2024-05-01' is not a time");
    }
}
