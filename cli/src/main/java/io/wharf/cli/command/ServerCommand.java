package io.wharf.cli.command;

import io.wharf.cli.CliException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The help entry of {@code wharf server}. The distribution's launcher runs the broker's own main class for
 * {@code server}, so this class only runs when the command line tools are used without the broker on the classpath,
 * and then says where the broker is.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "server",
        description = "Start a broker in the foreground, with data in ./data and a listener on 127.0.0.1:9092 unless"
                + " --config FILE or --override KEY=VALUE say otherwise.")
public final class ServerCommand implements Callable<Integer> {

    @Unmatched
    private List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        throw CliException.usage("the broker is not part of this classpath; start it with bin/wharf server from the"
                + " Wharf distribution");
    }
}
