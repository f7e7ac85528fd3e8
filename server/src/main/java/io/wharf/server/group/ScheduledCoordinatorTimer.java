package io.wharf.server.group;

import io.wharf.coordinator.runtime.CoordinatorTimer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The coordinators' and share-partition leaders' timers on the broker's scheduler thread; the tasks themselves hop
 * onto their shard's or leader's thread.
 */
public final class ScheduledCoordinatorTimer implements CoordinatorTimer {

    private final ScheduledExecutorService scheduler;

    public ScheduledCoordinatorTimer(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public Scheduled schedule(long delayMs, Runnable task) {
        ScheduledFuture<?> future = scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
