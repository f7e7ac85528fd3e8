package io.wharf.tests.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of a {@link ProcessCluster}: a {@code wharf server} JVM ({@code io.wharf.server.ServerMain} on this test's
 * class path) with its own data directory, listening on {@code host:port} (Kafka) and {@code host:controllerPort}
 * (the metadata quorum), its output appended to a log file. It keeps its address and data across restarts, so it
 * comes back as the same node.
 *
 * <p>Only the process this object started is ever signalled. Not thread-safe: the test thread drives it.
 */
final class BrokerNode {

    final int id;
    final String host;
    final int port;
    final int controllerPort;
    final Path dataDir;
    final Path logFile;
    private final List<String> commandPrefix;
    private Process process;
    private boolean paused;

    /**
     * @param prefix what the JVM is started under, e.g. {@code ip netns exec NAME} (which execs, so the pid
     *     is the JVM's); empty for none
     */
    BrokerNode(int id, String host, int port, int controllerPort, Path dataDir, Path logFile, List<String> prefix) {
        this.id = id;
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.commandPrefix = List.copyOf(prefix);
    }

    String address() {
        return host + ":" + port;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Starts the JVM with {@code settings} as {@code --override}s and waits until its Kafka port accepts. */
    void start(Map<String, String> settings) throws IOException, InterruptedException {
        if (running()) {
            throw new IllegalStateException("node " + id + " is running");
        }
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.wharf.server.ServerMain"));
        settings.forEach((key, value) -> {
            command.add("--override");
            command.add(key + "=" + value);
        });
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        paused = false;
        awaitPort();
    }

    private void awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "node " + id + " exited with " + process.exitValue() + "; see " + logFile.toAbsolutePath());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(
                "node " + id + " did not open " + address() + "; see " + logFile.toAbsolutePath());
    }

    /** SIGKILL: no shutdown hook, no flush, no controlled shutdown. The page cache keeps what was written. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + id + " (pid " + pid() + ") outlived SIGKILL");
        }
        paused = false;
    }

    /** SIGSTOP: the process is frozen, its sockets stay open, and it notices nothing until {@link #resume}. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
        paused = false;
    }

    /** SIGCONT if the test paused it and did not resume it. */
    void resumeIfPaused() throws IOException, InterruptedException {
        if (paused && running()) {
            resume();
        }
    }

    /** SIGTERM, a controlled shutdown: waits until the process has exited. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + id + " did not stop on SIGTERM; see " + logFile);
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (!running()) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
        }
    }

    /** Kills the process whatever state it is in (a paused one is continued first, so the kill is not delayed). */
    void destroy() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            if (paused) {
                resume();
            }
        } catch (IOException | InterruptedException | IllegalStateException ignored) {
            // SIGKILL works on a stopped process too.
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
