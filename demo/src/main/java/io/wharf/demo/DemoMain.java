package io.wharf.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf demo}: see {@link Demo}. Exit code 0 when the closing check passed, 1 when it did not. */
@Command(
        name = "wharf demo",
        mixinStandardHelpOptions = true,
        description = "Run a three-broker cluster in this JVM with a producer, a consumer group and a share group,"
                + " kill the broker leading the most partitions, bring it back, and check that every acknowledged"
                + " record was consumed and none is in the log twice.")
public final class DemoMain implements Callable<Integer> {

    @Option(
            names = "--rate",
            defaultValue = "1000",
            description = "Records the producer sends per second (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(
            names = "--steady-seconds",
            defaultValue = "10",
            description =
                    "How long the cluster runs before the kill and after the recovery (default: ${DEFAULT-VALUE}).")
    private int steadySeconds;

    @Option(
            names = "--outage-seconds",
            defaultValue = "8",
            description = "How long the killed broker stays down once its partitions have new leaders"
                    + " (default: ${DEFAULT-VALUE}).")
    private int outageSeconds;

    @Option(names = "--plain", description = "Print events line by line instead of redrawing the screen.")
    private boolean plain;

    @Option(names = "--verbose", description = "Show the brokers' log (warnings and errors) on standard error.")
    private boolean verbose;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        quietLogs(verbose);
        boolean live = !plain && System.console() != null;
        Demo.Timing timing = new Demo.Timing(
                Duration.ofSeconds(steadySeconds), Duration.ofSeconds(outageSeconds), Duration.ofSeconds(60));
        return new Demo(System.out, live, timing, rate).run() ? 0 : 1;
    }

    /** The brokers log every election and reconnection; the demo shows those itself. */
    static void quietLogs(boolean verbose) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(verbose ? Level.WARN : Level.OFF);
        }
    }
}
