package io.wharf.storage;

import io.wharf.common.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The clock and threads that partition logs share.
 *
 * @param clock where every timestamp and timeout comes from
 * @param flushExecutor runs group-commit fsyncs; each log has at most one fsync running on it at a time
 * @param scheduler runs delayed work: deleting the files of removed segments after {@code file.delete.delay.ms}
 */
public record LogRuntime(Clock clock, Executor flushExecutor, ScheduledExecutorService scheduler) {}
