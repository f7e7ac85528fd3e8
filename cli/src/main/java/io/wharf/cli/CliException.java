package io.wharf.cli;

/**
 * A failure a command has already put into words: the message is the one line the user sees after {@code wharf: },
 * and the exit code is one of {@link ExitCode}'s. Thrown by commands, reported by {@link ErrorReporter}.
 */
public final class CliException extends RuntimeException {

    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad arguments, options or input ({@link ExitCode#USAGE}). */
    public static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message, null);
    }

    /** The broker is unreachable or refused a request ({@link ExitCode#FAILED}). */
    public static CliException failed(String message, Throwable cause) {
        return new CliException(ExitCode.FAILED, message, cause);
    }

    /** Something named on the command line does not exist ({@link ExitCode#NOT_FOUND}). */
    public static CliException notFound(String message) {
        return new CliException(ExitCode.NOT_FOUND, message, null);
    }

    public int exitCode() {
        return exitCode;
    }
}
