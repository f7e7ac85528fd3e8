package io.wharf.cli.client;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to a broker shares: where the broker is, extra client properties, how long to
 * wait, how much to say. A picocli mixin, filled in by picocli on the command's thread before the command runs.
 */
public final class ClientOptions {

    /** Where a broker is looked for when neither the option nor the properties file says. */
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(
            names = {"-b", "--bootstrap-server"},
            paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, comma-separated (default: " + DEFAULT_BOOTSTRAP + ").")
    String bootstrapServer;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Kafka client properties (security settings and the like) for the clients this command uses.")
    Path commandConfig;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long to wait for the broker, as 500ms, 5s or 1m; bare numbers are seconds"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print stack traces of errors and the Kafka client's warnings.")
    boolean verbose;

    public Path commandConfig() {
        return commandConfig;
    }

    /** The bootstrap servers given with {@code -b}, or null when the option was not given. */
    public String bootstrapServer() {
        return bootstrapServer;
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean verbose() {
        return verbose;
    }
}
