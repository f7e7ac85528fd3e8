/**
 * The {@code wharf} command line: {@link io.wharf.cli.Wharf} (the command tree and {@code main}), the exit codes
 * every command shares ({@link io.wharf.cli.ExitCode}), and how failures become one line on standard error. The
 * commands themselves are in {@link io.wharf.cli.command}. This module depends on kafka-clients' public API, picocli
 * and wharf-common only, never on the broker, so the same command works against any Kafka-protocol broker.
 */
package io.wharf.cli;
