package io.wharf.cli.command;

import io.wharf.cli.CliException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The help entry of {@code wharf demo}. The distribution's launcher runs the demo's own main class for {@code demo}
 * (it needs the broker, which the tools do not carry), so this class only runs when the tools are used on their own.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "demo",
        description = "Run a three-broker cluster in one JVM with a producer, a consumer group and a share group; kill"
                + " the broker leading the most partitions, bring it back, and check that nothing acknowledged was"
                + " lost or duplicated. Options: --plain, --rate N, --steady-seconds N, --outage-seconds N.")
public final class DemoCommand implements Callable<Integer> {

    @Unmatched
    private List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        throw CliException.usage(
                "the demo is not part of this classpath; run it with bin/wharf demo from the Wharf" + " distribution");
    }
}
