package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A main class of this test's class path run in a process of its own, for tests that kill it with SIGKILL: what it
 * prints goes, line by line, to a callback on a daemon thread, until the process ends.
 */
public final class ChildJvm {

    private ChildJvm() {}

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
