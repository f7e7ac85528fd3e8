package io.wharf.cli.client;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --timeout} values: a whole number with {@code ms}, {@code s} or {@code m}, or a bare number of
 * seconds, between {@link #MIN} and {@link #MAX}. Stateless; picocli calls it while parsing.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    /** Below this a Kafka client cannot even finish connecting on a loaded machine. */
    public static final Duration MIN = Duration.ofMillis(100);
    /** A command that waits longer than this for one answer has a broker problem, not a patience problem. */
    public static final Duration MAX = Duration.ofHours(1);

    @Override
    public Duration convert(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            if (value.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                duration = Duration.ofSeconds(Long.parseLong(value));
            }
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a duration such as 500ms, 5s or 1m");
        }
        if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
            throw new TypeConversionException("'" + text + "' is outside " + format(MIN) + " to " + format(MAX));
        }
        return duration;
    }

    /** A duration as people write it: {@code 5 s}, {@code 500 ms}. */
    public static String format(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
