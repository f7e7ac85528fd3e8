package io.wharf.tests.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network of Linux network namespaces, one per node, for cutting the network between brokers: each namespace has a
 * veth pair whose other end is on a bridge in the root namespace, which holds {@code 10.77.S.254} so that the test's
 * clients reach every node at {@code 10.77.S.<node>}. {@link #isolate} cuts one node off from the others (but not
 * from the test) with blackhole routes on both sides, so packets between them are dropped: connections hang, as they
 * do behind a failed switch. (Blackhole routes rather than {@code tc netem}, which needs kernel modules a container
 * may lack.)
 *
 * <p>Needs root and iproute2 ({@code ip}); {@code .ci/run} installs iproute2. Every name starts with
 * {@value #PREFIX} and a random tag, so leftovers of a killed run are easy to find and remove:
 * {@code ip -o netns list | grep wharf-t-} and {@code ip -o link | grep wharf-t-}. {@link #close()} removes
 * everything this instance made.
 */
final class NetworkNamespaces implements AutoCloseable {

    static final String PREFIX = "wharf-t-";

    private final String tag;
    private final int subnet;
    private final int count;
    private final List<String[]> undo = new ArrayList<>();

    private NetworkNamespaces(int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.tag = Integer.toString(36 * 36 + random.nextInt(36 * 36 * 35), 36).substring(0, 3);
        this.subnet = 1 + random.nextInt(250);
        this.count = count;
    }

    /**
     * Creates {@code count} namespaces (nodes 1 to count) on one bridge.
     *
     * @throws AssertionError when this machine cannot (not root, or no {@code ip}), saying so
     */
    static NetworkNamespaces create(int count) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("network partition tests need root (they create network namespaces); run as root,"
                    + " as .ci/run does");
        }
        NetworkNamespaces net = new NetworkNamespaces(count);
        try {
            net.build();
            return net;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    private String bridge() {
        return PREFIX + tag + "b";
    }

    String namespace(int node) {
        return PREFIX + tag + "-" + node;
    }

    /** The node's address, which it listens on inside its namespace. */
    String address(int node) {
        return "10.77." + subnet + "." + node;
    }

    /** What a node's JVM is started under: {@code ip netns exec} execs it, so the pid is the JVM's. */
    List<String> commandPrefix(int node) {
        return List.of("ip", "netns", "exec", namespace(node));
    }

    private void build() throws IOException, InterruptedException {
        run("ip", "link", "add", bridge(), "type", "bridge");
        undo.add(new String[] {"ip", "link", "del", bridge()});
        run("ip", "addr", "add", "10.77." + subnet + ".254/24", "dev", bridge());
        run("ip", "link", "set", bridge(), "up");
        for (int node = 1; node <= count; node++) {
            String ns = namespace(node);
            String outside = PREFIX + tag + "h" + node;
            String inside = PREFIX + tag + "n" + node;
            run("ip", "netns", "add", ns);
            undo.add(new String[] {"ip", "netns", "del", ns});
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            undo.add(new String[] {"ip", "link", "del", outside});
            run("ip", "link", "set", inside, "netns", ns);
            run("ip", "link", "set", outside, "master", bridge());
            run("ip", "link", "set", outside, "up");
            run("ip", "netns", "exec", ns, "ip", "addr", "add", address(node) + "/24", "dev", inside);
            run("ip", "netns", "exec", ns, "ip", "link", "set", inside, "up");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
    }

    /** Drops every packet between {@code node} and the other nodes, both ways; the test still reaches it. */
    void isolate(int node) throws IOException, InterruptedException {
        for (int other = 1; other <= count; other++) {
            if (other != node) {
                run("ip", "netns", "exec", namespace(node), "ip", "route", "add", "blackhole", address(other) + "/32");
                run("ip", "netns", "exec", namespace(other), "ip", "route", "add", "blackhole", address(node) + "/32");
            }
        }
    }

    /** Undoes {@link #isolate}. */
    void heal(int node) throws IOException, InterruptedException {
        for (int other = 1; other <= count; other++) {
            if (other != node) {
                run("ip", "netns", "exec", namespace(node), "ip", "route", "del", "blackhole", address(other) + "/32");
                run("ip", "netns", "exec", namespace(other), "ip", "route", "del", "blackhole", address(node) + "/32");
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Removes the namespaces (and the veth ends in them), the outside veth ends and the bridge, newest first. */
    @Override
    public void close() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            try {
                run(undo.get(i));
            } catch (IOException e) {
                // Already gone: deleting a namespace deletes its veth pair.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        undo.clear();
    }
}
