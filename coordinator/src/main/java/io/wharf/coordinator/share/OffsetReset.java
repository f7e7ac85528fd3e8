package io.wharf.coordinator.share;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Where a share-partition starts the first time its group consumes it ({@code share.auto.offset.reset}): the log
 * start, the log end, or the first record no older than a duration ({@code by_duration:PT1H}, ISO-8601).
 *
 * @param duration for {@link Kind#BY_DURATION}, how far back; else null
 */
public record OffsetReset(Kind kind, Duration duration) {

    /** The three strategies. */
    public enum Kind {
        EARLIEST,
        LATEST,
        BY_DURATION
    }

    private static final String BY_DURATION_PREFIX = "by_duration:";

    /** The time from which {@link Kind#BY_DURATION} starts: {@code duration} before {@code nowMs}. */
    public long sinceMs(long nowMs) {
        return kind == Kind.BY_DURATION ? nowMs - duration.toMillis() : -1;
    }

    /**
     * Where a share-partition of a log with these bounds starts.
     *
     * @param offsetSince for {@link Kind#BY_DURATION}, the first offset whose record is at least as new as
     *     {@link #sinceMs}, or -1 when there is none (then it starts at the high watermark); ignored otherwise
     */
    public long startOffset(long logStartOffset, long highWatermark, long offsetSince) {
        return switch (kind) {
            case EARLIEST -> logStartOffset;
            case LATEST -> highWatermark;
            case BY_DURATION -> offsetSince < 0 ? highWatermark : Math.max(offsetSince, logStartOffset);
        };
    }

    /**
     * Parses a value of {@code share.auto.offset.reset}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static OffsetReset parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("earliest")) {
            return new OffsetReset(Kind.EARLIEST, null);
        }
        if (value.equals("latest")) {
            return new OffsetReset(Kind.LATEST, null);
        }
        if (value.startsWith(BY_DURATION_PREFIX)) {
            String iso = text.trim().substring(BY_DURATION_PREFIX.length());
            try {
                Duration duration = Duration.parse(iso);
                if (duration.isNegative()) {
                    throw new IllegalArgumentException("the duration of " + text + " is negative");
                }
                return new OffsetReset(Kind.BY_DURATION, duration);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(iso + " is not an ISO-8601 duration (such as PT1H)");
            }
        }
        throw new IllegalArgumentException(
                "share.auto.offset.reset must be earliest, latest or by_duration:<ISO-8601 duration>, not " + text);
    }
}
