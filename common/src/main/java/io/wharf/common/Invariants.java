package io.wharf.common;

/**
 * Checks that stay on in production. A failed check is a bug in Wharf, never a client's mistake: client mistakes
 * are answered with a Kafka error code instead. Failing fast keeps a bug from turning into a corrupt log.
 */
public final class Invariants {

    private Invariants() {}

    /** Throws {@link IllegalStateException} with {@code message} when {@code condition} is false. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** Like {@link #check(boolean, String)}, formatting the message only when the check fails. */
    public static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(format, args));
        }
    }
}
