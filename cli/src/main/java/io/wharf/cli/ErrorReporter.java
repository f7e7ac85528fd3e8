package io.wharf.cli;

import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns whatever a command threw into one line on standard error and an {@link ExitCode}: {@code wharf: } and what
 * went wrong, in the user's terms. The stack trace follows only with {@code --verbose}. Picocli calls it on the
 * command's thread after the command failed; also reports argument errors, with a pointer to the command's help.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception exception, CommandLine command, ParseResult parseResult) {
        Throwable failure = unwrap(exception);
        PrintWriter err = command.getErr();
        err.println("wharf: " + message(failure));
        if (verbose(parseResult)) {
            failure.printStackTrace(err);
        }
        err.flush();
        return exitCode(failure);
    }

    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + lowerFirst(exception.getMessage()) + " (see " + name + " --help)");
        err.flush();
        return ExitCode.USAGE;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static int exitCode(Throwable failure) {
        if (failure instanceof CliException cli) {
            return cli.exitCode();
        }
        if (failure instanceof UnknownTopicOrPartitionException || failure instanceof GroupIdNotFoundException) {
            return ExitCode.NOT_FOUND;
        }
        if (failure instanceof ConfigException) {
            return ExitCode.USAGE;
        }
        return ExitCode.FAILED;
    }

    static String message(Throwable failure) {
        if (failure instanceof CliException) {
            return failure.getMessage();
        }
        if (failure instanceof ConfigException) {
            return "invalid client setting: " + failure.getMessage();
        }
        if (failure instanceof UnsupportedVersionException) {
            return "the broker does not support this request: " + failure.getMessage();
        }
        if (failure instanceof TimeoutException) {
            return "the broker did not answer in time: " + failure.getMessage();
        }
        if (failure instanceof AuthenticationException) {
            return "authentication failed: " + failure.getMessage();
        }
        if (failure instanceof AuthorizationException) {
            return "not authorized: " + failure.getMessage();
        }
        if (failure instanceof ApiException) {
            return "the broker refused the request: " + failure.getMessage();
        }
        if (failure instanceof KafkaException) {
            return "the Kafka client failed: " + failure.getMessage();
        }
        return "unexpected " + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                + " (run with --verbose for the stack trace)";
    }

    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult current = parseResult; current != null; current = current.subcommand()) {
            if (current.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String lowerFirst(String text) {
        if (text == null || text.isEmpty()) {
            return "invalid arguments";
        }
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
