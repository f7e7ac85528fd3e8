package io.wharf.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsUnitsAndBareSeconds() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(converter.convert("2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void refusesNonsenseAndValuesOutOfBounds() {
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("99ms")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("61m")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void formatsAsPeopleWriteIt() {
        assertThat(DurationConverter.format(Duration.ofSeconds(5))).isEqualTo("5 s");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }
}
