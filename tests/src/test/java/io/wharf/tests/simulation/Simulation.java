package io.wharf.tests.simulation;

import io.wharf.common.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * The simulation's one thread of control: a queue of events ordered by simulated time, a manual clock that jumps to
 * each event's time before it runs, and the seeded randomness every choice is drawn from. Events due at the same
 * millisecond run in an order drawn from the seed, so one seed always runs the same interleaving and different seeds
 * try different ones.
 *
 * <p>Keeps the labels of the last {@link #TRACE_EVENTS} events for the failure report.
 *
 * <p>Threads: one; nothing here is thread-safe, and nothing in the simulation runs on another thread.
 */
final class Simulation {

    static final long START_MS = 1_700_000_000_000L;
    /** How many of the last events a failure report shows; {@code -Dwharf.sim.trace=N} shows more. */
    static final int TRACE_EVENTS = Integer.getInteger("wharf.sim.trace", 150);

    private record Event(long atMs, long order, long sequence, String label, Runnable action) {}

    private record Line(long elapsedMs, String text) {}

    final long seed;
    final Random random;
    final ManualClock clock = new ManualClock(START_MS);
    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> {
        int byTime = Long.compare(a.atMs, b.atMs);
        if (byTime != 0) {
            return byTime;
        }
        int byOrder = Long.compare(a.order, b.order);
        return byOrder != 0 ? byOrder : Long.compare(a.sequence, b.sequence);
    });
    /** The last lines, each with its time; formatted only for a report. */
    private final ArrayDeque<Line> trace = new ArrayDeque<>();

    private final Map<String, Long> counts = new TreeMap<>();
    private long sequence;
    private long eventsRun;
    private long digest = 17;

    Simulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    long nowMs() {
        return clock.nowMs();
    }

    /** Milliseconds since the simulation started: what the trace shows. */
    long elapsedMs() {
        return clock.nowMs() - START_MS;
    }

    /** Runs {@code action} {@code delayMs} from now. */
    void after(long delayMs, String label, Runnable action) {
        queue.add(new Event(nowMs() + Math.max(0, delayMs), random.nextLong(), sequence++, label, action));
    }

    /**
     * Runs the next event, if there is one due by {@code untilMs} (simulated elapsed time).
     *
     * @return false when none is
     */
    boolean step(long untilMs) {
        Event next = queue.peek();
        if (next == null || next.atMs - START_MS > untilMs) {
            return false;
        }
        queue.poll();
        if (next.atMs > nowMs()) {
            clock.advanceMs(next.atMs - nowMs());
        }
        note(next.label);
        eventsRun++;
        digest = digest * 31 + next.atMs * 7 + next.label.hashCode();
        next.action.run();
        return true;
    }

    /** Moves the clock to {@code untilMs} (simulated elapsed time) when no event is due before it. */
    void idleUntil(long untilMs) {
        long target = START_MS + untilMs;
        if (target > nowMs()) {
            clock.advanceMs(target - nowMs());
        }
    }

    long eventsRun() {
        return eventsRun;
    }

    /** A hash of every event's time and label so far: two runs that agree on it ran the same events. */
    long digest() {
        return digest;
    }

    /** Counts one more of {@code what}: what a run did, for the report. */
    void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    /** Adds a line to the trace without an event: what happened inside one. */
    void note(String line) {
        if (trace.size() >= TRACE_EVENTS) {
            trace.removeFirst();
        }
        trace.addLast(new Line(elapsedMs(), line));
    }

    List<String> trace() {
        List<String> lines = new ArrayList<>();
        for (Line line : trace) {
            lines.add(String.format("%8d ms  %s", line.elapsedMs(), line.text()));
        }
        return lines;
    }

    // ---- randomness

    /** A number in {@code [low, high]}. */
    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
