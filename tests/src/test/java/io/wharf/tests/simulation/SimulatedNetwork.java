package io.wharf.tests.simulation;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The network between the simulated nodes: the controller ({@link #CONTROLLER}), the brokers (their ids) and the
 * producers. Every message is delayed (mostly a few milliseconds, sometimes hundreds, so messages overtake each
 * other), some are dropped, and none crosses a cut link: a message is lost if its link is cut when it is sent or when
 * it would arrive.
 *
 * <p>A request and its answer travel separately; the asker gives up after a timeout, and an answer that comes later
 * is ignored, as a client's request timeout would.
 */
final class SimulatedNetwork {

    static final int CONTROLLER = 0;

    private final Simulation sim;
    private final double dropChance;
    private final double slowChance;
    private final Set<Long> cutLinks = new HashSet<>();

    SimulatedNetwork(Simulation sim, double dropChance, double slowChance) {
        this.sim = sim;
        this.dropChance = dropChance;
        this.slowChance = slowChance;
    }

    static String nodeName(int node) {
        if (node == CONTROLLER) {
            return "controller";
        }
        return node >= SimulatedProducer.FIRST_NODE ? "producer " + node : "broker " + node;
    }

    private static long link(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    boolean connected(int a, int b) {
        return !cutLinks.contains(link(a, b));
    }

    void cut(int a, int b) {
        cutLinks.add(link(a, b));
    }

    void heal(int a, int b) {
        cutLinks.remove(link(a, b));
    }

    void healAll() {
        cutLinks.clear();
    }

    /** Delivers {@code arrival} at {@code to} after a delay, unless the message is lost on the way. */
    void send(int from, int to, String label, Runnable arrival) {
        if (!connected(from, to) || sim.chance(dropChance)) {
            return;
        }
        long delayMs = sim.chance(slowChance) ? sim.between(10, 300) : sim.between(0, 3);
        sim.after(delayMs, label + " " + nodeName(from) + "→" + nodeName(to), () -> {
            if (connected(from, to)) {
                arrival.run();
            }
        });
    }

    /**
     * Sends a request that {@code serve} answers at {@code to} (at once or later, through the consumer it is given);
     * the answer travels back and reaches {@code onAnswer}, unless {@code timeoutMs} passed first: then {@code
     * onTimeout} runs, once, and the answer is ignored. Whether the asker or the server is still alive is theirs to
     * check.
     */
    <T> void request(
            int from,
            int to,
            String label,
            long timeoutMs,
            Consumer<Consumer<T>> serve,
            Consumer<T> onAnswer,
            Runnable onTimeout) {
        boolean[] settled = {false};
        send(
                from,
                to,
                label,
                () -> serve.accept(answer -> send(to, from, label + " answer", () -> {
                    if (!settled[0]) {
                        settled[0] = true;
                        onAnswer.accept(answer);
                    }
                })));
        sim.after(timeoutMs, label + " timeout", () -> {
            if (!settled[0]) {
                settled[0] = true;
                onTimeout.run();
            }
        });
    }
}
