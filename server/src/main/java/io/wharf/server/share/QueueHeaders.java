package io.wharf.server.share;

import io.wharf.protocol.record.RecordScan;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Wharf's queue headers on one record, as a share group reads them: {@code wharf.delay.ms} and {@code wharf.ttl.ms}
 * (non-negative decimal milliseconds from the record's timestamp) and {@code wharf.priority} (0 to 9, clamped). A
 * value that is not a number is ignored, as if the header were absent.
 *
 * <p>A {@link RecordScan.RecordVisitor} collects them record by record; {@link #reset()} before each record.
 */
public final class QueueHeaders {

    public static final String DELAY_MS = "wharf.delay.ms";
    public static final String TTL_MS = "wharf.ttl.ms";
    public static final String PRIORITY = "wharf.priority";

    private static final ByteBuffer DELAY_KEY = ByteBuffer.wrap(DELAY_MS.getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuffer TTL_KEY = ByteBuffer.wrap(TTL_MS.getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuffer PRIORITY_KEY = ByteBuffer.wrap(PRIORITY.getBytes(StandardCharsets.US_ASCII));
    private static final int DIGITS_MAX = 18;

    private long delayMs = -1;
    private long ttlMs = -1;
    private int priority;

    void reset() {
        delayMs = -1;
        ttlMs = -1;
        priority = 0;
    }

    /** Takes one header of the current record into account. */
    void header(ByteBuffer key, ByteBuffer value) {
        if (value == null) {
            return;
        }
        if (key.equals(DELAY_KEY)) {
            delayMs = number(value);
        } else if (key.equals(TTL_KEY)) {
            ttlMs = number(value);
        } else if (key.equals(PRIORITY_KEY)) {
            long parsed = number(value);
            if (parsed >= 0) {
                priority = (int) Math.min(9, parsed);
            }
        }
    }

    /** The delay of the current record, or -1 when it has none. */
    long delayMs() {
        return delayMs;
    }

    /** The time to live of the current record, or -1 when it has none. */
    long ttlMs() {
        return ttlMs;
    }

    int priority() {
        return priority;
    }

    /** A non-negative ASCII decimal, or -1. */
    static long number(ByteBuffer value) {
        int length = value.remaining();
        if (length == 0 || length > DIGITS_MAX) {
            return -1;
        }
        long result = 0;
        for (int i = value.position(); i < value.limit(); i++) {
            byte b = value.get(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            result = result * 10 + (b - '0');
        }
        return result;
    }
}
