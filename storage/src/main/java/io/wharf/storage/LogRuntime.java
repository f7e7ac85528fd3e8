package io.wharf.storage;

import io.wharf.common.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The clock and threads that partition logs share.
 *
 * @param clock where every timestamp and timeout comes from
 * @param flushExecutor runs the group-commit fsyncs of logs that force their own segments (each log has at most one
 *     running at a time), background segment flushes on roll, and the completion of journal waiters
 * @param scheduler runs delayed work: deleting the files of removed segments after {@code file.delete.delay.ms}
 * @param preallocateBytes under {@link FlushPolicy#ACKS_ALL}, the zeroed tail each busy active segment keeps ahead of
 *     its appends, so that an fsync writes only data ({@link io.wharf.storage.segment.LogSegment}); 0 for none
 */
public record LogRuntime(
        Clock clock, Executor flushExecutor, ScheduledExecutorService scheduler, int preallocateBytes) {

    /** The default size of the zeroed tail. */
    public static final int DEFAULT_PREALLOCATE_BYTES = 1 << 20;

    public LogRuntime(Clock clock, Executor flushExecutor, ScheduledExecutorService scheduler) {
        this(clock, flushExecutor, scheduler, DEFAULT_PREALLOCATE_BYTES);
    }
}
