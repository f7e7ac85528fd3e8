package io.wharf.tests;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a child JVM (the {@code wharf server} main class on this test's classpath), so a test can kill it with
 * SIGKILL, as a crash or power cut would, and start it again on the same port and data.
 */
final class BrokerProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final List<String> overrides;
    private final Path logFile;
    private Process process;

    BrokerProcess(Path dataDir, List<String> overrides) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.overrides = overrides;
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + "-broker.log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until its port accepts connections. */
    void start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.wharf.server.ServerMain",
                "--override",
                "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override",
                "log.dirs=" + dataDir));
        for (String override : overrides) {
            command.add("--override");
            command.add(override);
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited; see " + logFile);
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("the broker did not open its port; see " + logFile);
    }

    /** SIGKILL: no shutdown hook, no flush, no clean-shutdown mark. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    File log() {
        return logFile.toFile();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
