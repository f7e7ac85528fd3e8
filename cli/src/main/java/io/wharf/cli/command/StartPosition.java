package io.wharf.cli.command;

import io.wharf.cli.CliException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Where {@code wharf consume} starts reading each partition: its first record, its end (only new records), an
 * offset (negative: that many records before the end), or the first record at or after a time. Immutable.
 *
 * @param kind which of the four
 * @param value the offset, or the time in epoch milliseconds; unused for the first two
 */
record StartPosition(Kind kind, long value) {

    enum Kind {
        BEGINNING,
        END,
        OFFSET,
        TIME
    }

    static final StartPosition BEGINNING = new StartPosition(Kind.BEGINNING, 0);
    static final StartPosition END = new StartPosition(Kind.END, 0);

    static StartPosition offset(long offset) {
        return new StartPosition(Kind.OFFSET, offset);
    }

    /**
     * A time as epoch milliseconds or ISO-8601 with a zone ({@code 2024-05-01T12:00:00Z},
     * {@code 2024-05-01T14:00:00+02:00}).
     *
     * @throws CliException when {@code text} is neither
     */
    static StartPosition time(String text) {
        return new StartPosition(Kind.TIME, parseTime(text));
    }

    static long parseTime(String text) {
        String value = text.trim();
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            return Long.parseLong(value);
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw CliException.usage("'" + text + "' is not a time: give epoch milliseconds or ISO-8601 such as"
                        + " 2024-05-01T12:00:00Z");
            }
        }
    }

    /**
     * The offset to start at in a partition whose records lie in {@code [start, end)}; {@code atTime} is the
     * broker's answer for {@link Kind#TIME} (-1 when no record is that new).
     */
    long resolve(long start, long end, long atTime) {
        return switch (kind) {
            case BEGINNING -> start;
            case END -> end;
            case OFFSET -> value >= 0 ? Math.min(Math.max(value, start), end) : Math.max(start, end + value);
            case TIME -> atTime < 0 ? end : atTime;
        };
    }
}
