package io.wharf.cli.output;

import picocli.CommandLine.Option;

/** The {@code --output} option of the commands that print something a program may want to parse. A picocli mixin. */
public final class OutputOption {

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "plain",
            description = "plain (aligned columns) or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    public boolean json() {
        return format == OutputFormat.JSON;
    }
}
