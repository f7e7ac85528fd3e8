package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A main class of this test's class path run in a process of its own: for tests that kill it with SIGKILL, what it
 * prints goes, line by line, to a callback on a daemon thread, until the process ends; command-line tools (they end
 * with {@code System.exit}) are run to their end with {@link #run}.
 */
public final class ChildJvm {

    /** How a command ended: its exit status and everything it printed, standard output and error together. */
    public record Run(int exitCode, String output) {}

    private ChildJvm() {}

    /** Runs {@code main} of the test class path with {@code args} in a small JVM of its own, for at most two minutes. */
    public static Run run(String main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                main));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code command} with nothing on its standard input, for at most two minutes. */
    public static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }

    public static Process start(Class<?> main, Consumer<String> lines, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.accept(line);
                }
            } catch (IOException ended) {
                // The process was killed.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return child;
    }
}
