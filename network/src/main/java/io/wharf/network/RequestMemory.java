package io.wharf.network;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The budget of request bytes held at once, across all connections ({@code queued.max.request.bytes}). A frame's
 * bytes are reserved as soon as its size is read and released when its response is done. A connection that cannot
 * reserve stops being read until memory is released; nothing is buffered for it meanwhile.
 *
 * <p>A frame larger than the whole budget is admitted when nothing else is reserved, so it can never wait forever.
 *
 * <p>Thread-safe: reservations happen on event loops, releases wherever responses complete.
 */
final class RequestMemory {

    private final long capacity;
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();
    private long used;

    RequestMemory(long capacity) {
        this.capacity = capacity;
    }

    /** Reserves {@code bytes} if they fit; otherwise queues {@code onAvailable} to run when memory is released. */
    synchronized boolean tryReserve(long bytes, Runnable onAvailable) {
        if (used == 0 || used + bytes <= capacity) {
            used += bytes;
            return true;
        }
        waiters.add(onAvailable);
        return false;
    }

    void release(long bytes) {
        List<Runnable> wake;
        synchronized (this) {
            used -= bytes;
            if (waiters.isEmpty()) {
                return;
            }
            wake = new ArrayList<>(waiters);
            waiters.clear();
        }
        // Every waiter retries; those that still do not fit queue themselves again.
        wake.forEach(Runnable::run);
    }

    synchronized long used() {
        return used;
    }
}
