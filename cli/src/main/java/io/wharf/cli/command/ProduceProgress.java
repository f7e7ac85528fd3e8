package io.wharf.cli.command;

import io.wharf.common.Clock;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts acknowledged records and bytes for {@code wharf produce}, redraws one status line on a terminal about
 * twice a second, and prints a summary at the end. Acknowledgements arrive on the producer's I/O thread
 * ({@link #acknowledged}); {@link #tick()} and {@link #finish()} run on the command's thread.
 */
final class ProduceProgress {

    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final double MB = 1_000_000.0;

    private final PrintWriter err;
    private final Clock clock;
    private final boolean live;
    private final boolean summary;
    private final long startNanos;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private long lastDrawNanos;
    private int lastWidth;

    /**
     * @param live redraw a status line (only on a terminal, where {@code \r} returns to the line's start)
     * @param summary print the totals when done
     */
    ProduceProgress(PrintWriter err, Clock clock, boolean live, boolean summary) {
        this.err = err;
        this.clock = clock;
        this.live = live;
        this.summary = summary;
        this.startNanos = clock.nanoTime();
        this.lastDrawNanos = startNanos;
    }

    /** One record of {@code size} key and value bytes was acknowledged. */
    void acknowledged(int size) {
        records.incrementAndGet();
        bytes.addAndGet(size);
    }

    long records() {
        return records.get();
    }

    /** Redraws the status line if it is time to. */
    void tick() {
        if (!live) {
            return;
        }
        long now = clock.nanoTime();
        if (now - lastDrawNanos < REDRAW_NANOS) {
            return;
        }
        lastDrawNanos = now;
        String line = String.format(Locale.ROOT, "%,d records  %s", records.get(), rates(now));
        // Blank out what a longer previous line left behind.
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        err.flush();
        lastWidth = line.length();
    }

    /** Replaces the status line with the totals, when asked for either. */
    void finish() {
        long now = clock.nanoTime();
        if (live && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
        }
        if (summary) {
            double seconds = (now - startNanos) / 1e9;
            err.println(String.format(
                    Locale.ROOT,
                    "produced %,d records (%.2f MB) in %.2f s: %s",
                    records.get(),
                    bytes.get() / MB,
                    seconds,
                    rates(now)));
        }
        err.flush();
    }

    private String rates(long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        return String.format(
                Locale.ROOT, "%,.0f records/s  %.2f MB/s", records.get() / seconds, bytes.get() / MB / seconds);
    }
}
