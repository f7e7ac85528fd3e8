package io.wharf.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every {@code wharf} command. Scripts depend on them, so they are few, stable, and the same for
 * every command; {@code docs/cli.md} and each command's {@code --help} list them.
 */
public final class ExitCode {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** Bad arguments, options or input: nothing was asked of the broker, or the input stopped the command. */
    public static final int USAGE = 1;
    /** The broker could not be reached, or it refused or failed a request. */
    public static final int FAILED = 2;
    /** A topic, partition or group named on the command line does not exist. */
    public static final int NOT_FOUND = 3;

    private ExitCode() {}

    /** Code to description, as the help shows them. */
    public static Map<String, String> descriptions() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(String.valueOf(OK), "success");
        codes.put(String.valueOf(USAGE), "usage error: bad arguments, options or input");
        codes.put(String.valueOf(FAILED), "the broker could not be reached, or it refused or failed a request");
        codes.put(String.valueOf(NOT_FOUND), "a topic, partition or group that was named does not exist");
        codes.put("130", "stopped with Ctrl-C (consume commits what it printed first)");
        return codes;
    }
}
