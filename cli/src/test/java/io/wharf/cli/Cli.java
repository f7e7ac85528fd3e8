package io.wharf.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code wharf} commands in this JVM, the way a shell would, and captures what they print and their exit code.
 * Commands get {@code -b} for the broker it was made for (unless one is given).
 */
public final class Cli {

    /** What one command did. */
    public record Result(int exitCode, String out, String err, byte[] outBytes) {
        public List<String> outLines() {
            return out.lines().toList();
        }

        public List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final String bootstrap;

    public Cli(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    public Result run(String... args) {
        return runWithInput(new byte[0], args);
    }

    public Result runWithInput(String stdin, String... args) {
        return runWithInput(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    public Result runWithInput(byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (bootstrap != null && !all.contains("-b") && !all.contains("--bootstrap-server")) {
            all.add("-b");
            all.add(bootstrap);
        }
        return exec(stdin, all.toArray(String[]::new));
    }

    /** Runs exactly {@code args}, adding nothing. */
    public static Result exec(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode =
                Wharf.commandLine(new ByteArrayInputStream(stdin), out, err).execute(args);
        return new Result(
                exitCode,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                out.toByteArray());
    }
}
