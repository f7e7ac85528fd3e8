package io.wharf.cli;

import io.wharf.cli.command.ClusterCommand;
import io.wharf.cli.command.ConsumeCommand;
import io.wharf.cli.command.DemoCommand;
import io.wharf.cli.command.GroupCommand;
import io.wharf.cli.command.ProduceCommand;
import io.wharf.cli.command.ServerCommand;
import io.wharf.cli.command.TopicCommand;
import io.wharf.cli.command.TransactionCommand;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code wharf} command: the root of the command tree, and its {@code main}. Every subcommand talks to a broker
 * through kafka-clients' public API only, so it works against any broker that speaks the Kafka protocol.
 * {@code wharf server} is the exception: the distribution's launcher hands it to the broker's own main class, and
 * this tree keeps only its help entry.
 *
 * <p>{@link #commandLine} builds the tree around given streams, so tests run commands in-process and read what they
 * printed. One command line runs one command at a time.
 */
@Command(
        name = "wharf",
        mixinStandardHelpOptions = true,
        versionProvider = CliVersion.class,
        description = "Wharf: a log and a queue that speak the Apache Kafka protocol.",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = "Run 'wharf COMMAND --help' for a command's options; the guide is docs/cli.md.",
        subcommands = {
            ServerCommand.class,
            TopicCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupCommand.class,
            TransactionCommand.class,
            ClusterCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Wharf implements Callable<Integer> {

    /** The system property that {@code config/logback-cli.xml} reads for the Kafka client's log level. */
    public static final String LOG_LEVEL_PROPERTY = "wharf.cli.log.level";

    /** Wide enough that the examples in the help stay on one line each. */
    private static final int USAGE_WIDTH = 100;

    private final InputStream stdin;
    private final OutputStream stdout;

    @Spec
    private CommandSpec spec;

    private Wharf(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--verbose") || List.of(args).contains("-v")) {
            // Set before any Kafka class asks for a logger, which is when Logback reads its configuration.
            System.setProperty(LOG_LEVEL_PROPERTY, "WARN");
        }
        int exitCode = commandLine(
                        new FileInputStream(FileDescriptor.in),
                        new FileOutputStream(FileDescriptor.out),
                        new FileOutputStream(FileDescriptor.err))
                .execute(args);
        System.exit(exitCode);
    }

    /**
     * The command tree reading {@code stdin} and printing to {@code stdout} and {@code stderr} (text as UTF-8,
     * consumed records byte for byte). Run a command with {@code commandLine(...).execute(args)}, which returns its
     * exit code.
     */
    public static CommandLine commandLine(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        ErrorReporter reporter = new ErrorReporter();
        CommandLine commandLine = new CommandLine(new Wharf(stdin, stdout))
                .setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpWidth(USAGE_WIDTH)
                .setExecutionExceptionHandler(reporter)
                .setParameterExceptionHandler(reporter);
        documentExitCodes(commandLine);
        return commandLine;
    }

    /** Every command's help ends with the same exit-code table, so nobody has to look the codes up elsewhere. */
    private static void documentExitCodes(CommandLine commandLine) {
        CommandSpec command = commandLine.getCommandSpec();
        command.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.descriptions());
        commandLine.getSubcommands().values().forEach(Wharf::documentExitCodes);
    }

    /** Standard input, for {@code wharf produce}. */
    public InputStream stdin() {
        return stdin;
    }

    /** Standard output as bytes, for records that must pass through unchanged. */
    public OutputStream stdout() {
        return stdout;
    }

    /** {@code wharf} alone: show what there is, and fail, since nothing was asked. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
