package io.wharf.demo;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's terminal view. On a terminal it redraws one frame in place (ANSI home and clear): the phase, the brokers,
 * the clients' rates and totals, a table of partitions and the latest events. Elsewhere (a pipe, a test) it prints
 * each event once, as it happens, and a status line every few frames.
 */
final class Screen {

    private static final String HOME_AND_CLEAR = "\033[H\033[2J";
    private static final int EVENTS_SHOWN = 12;

    private final PrintStream out;
    private final boolean live;
    private final long startNanos = System.nanoTime();
    private final Deque<String> events = new ArrayDeque<>();
    private long frames;
    private long lastProduced;
    private long lastConsumed;
    private long lastShared;

    Screen(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** Notes an event, with the time since the demo started. */
    void event(String text) {
        String line = String.format("%6.1f s  %s", (System.nanoTime() - startNanos) / 1e9, text);
        events.addLast(line);
        while (events.size() > EVENTS_SHOWN) {
            events.removeFirst();
        }
        if (!live) {
            out.println(line);
            out.flush();
        }
    }

    /** Draws one frame; {@code seconds} is the time since the last. */
    void frame(
            String phase,
            Map<Integer, Boolean> brokers,
            Workload clients,
            List<ClusterWatch.PartitionRow> partitions,
            double seconds) {
        long produced = clients.produced.get();
        long consumed = clients.consumed.get();
        long shared = clients.shareAcknowledged.get();
        String rates = String.format(
                "%,10.0f  %,10.0f  %,12.0f",
                (produced - lastProduced) / seconds,
                (consumed - lastConsumed) / seconds,
                (shared - lastShared) / seconds);
        lastProduced = produced;
        lastConsumed = consumed;
        lastShared = shared;
        String brokerLine = brokers.entrySet().stream()
                .map(e -> "broker " + e.getKey() + (e.getValue() ? " up" : " DOWN"))
                .collect(Collectors.joining("   "));
        frames++;
        if (!live) {
            if (frames % 4 == 0) {
                out.printf(
                        "%6.1f s  [%s] acknowledged %,d  consumed %,d  share-acknowledged %,d%n",
                        (System.nanoTime() - startNanos) / 1e9, phase, produced, consumed, shared);
                out.flush();
            }
            return;
        }
        StringBuilder frame = new StringBuilder(HOME_AND_CLEAR);
        frame.append("Wharf demo: three brokers in this JVM; topic ")
                .append(Demo.TOPIC)
                .append(", 6 partitions x 3 replicas, min.insync.replicas=2\n\n");
        frame.append("phase   ").append(phase).append('\n');
        frame.append("brokers ").append(brokerLine).append("\n\n");
        frame.append("             acknowledged    consumed   share-acked\n");
        frame.append("per second   ").append(rates).append('\n');
        frame.append(String.format("in all       %,10d  %,10d  %,12d%n", produced, consumed, shared));
        String error = clients.recentError();
        frame.append(error.isEmpty() ? "" : "producer     retrying after " + error + "\n");
        frame.append("\nPARTITION  LEADER  EPOCH  ISR     HIGH WATERMARK\n");
        for (ClusterWatch.PartitionRow p : partitions) {
            frame.append(String.format(
                    "%-9d  %-6s  %-5d  %-6s  %,d%n",
                    p.partition(),
                    p.leader() < 0 ? "none" : String.valueOf(p.leader()),
                    p.leaderEpoch(),
                    p.isr().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    p.highWatermark()));
        }
        frame.append("\nevents\n");
        events.forEach(e -> frame.append(e).append('\n'));
        out.print(frame);
        out.flush();
    }

    /** Prints a line below the view (the verdict). */
    void line(String text) {
        out.println(text);
        out.flush();
    }
}
