package io.wharf.amqp;

import io.wharf.amqp.connection.AmqpConnection;
import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.DurableStore;
import io.wharf.amqp.model.VirtualHost;
import io.wharf.common.Clock;
import io.wharf.network.amqp.AmqpLink;
import io.wharf.network.amqp.AmqpSession;
import io.wharf.network.amqp.AmqpSessionFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP front end: owns the virtual host and every connection's channels, and runs all of them on one thread, so
 * routing, queues and deliveries need no locks. Connections hand it their frames ({@link #execute}); after each step
 * the frames it produced leave in one flush per connection. A sweep every {@value #SWEEP_MS} ms expires messages and
 * queues and applies the memory limit. Thread-safe entry points: {@link #open}, {@link #execute}, {@link #close}.
 */
public final class AmqpBroker implements AmqpSessionFactory, AutoCloseable {

    static final long SWEEP_MS = 50;

    private static final Logger log = LoggerFactory.getLogger(AmqpBroker.class);

    private final AmqpConfig config;
    private final Clock clock;
    private final String version;
    private final VirtualHost host;
    private final ScheduledExecutorService thread;
    private final Set<AmqpConnection> connections = new LinkedHashSet<>();
    private final Set<AmqpConnection> dirty = new LinkedHashSet<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private boolean blocked;

    public AmqpBroker(AmqpConfig config, Clock clock, String version, DurableStore store) {
        this.config = config;
        this.clock = clock;
        this.version = version;
        this.host = new VirtualHost("/", store);
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "wharf-amqp");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> execute(this::sweep), SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code step} on the broker thread with the broker's state, waiting for it (start-up, recovery). */
    public void runAndWait(Consumer<VirtualHost> step) {
        try {
            thread.submit(() -> {
                        host.tick(clock.nowMs());
                        step.accept(host);
                    })
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("AMQP broker step failed", e);
        }
    }

    @Override
    public AmqpSession open(AmqpLink link) {
        AmqpConnection connection = new AmqpConnection(this, link);
        // A client speaks only after connection.start, which waits until the durable state is recovered.
        ready.thenRun(() -> execute(() -> {
            connections.add(connection);
            connection.start();
        }));
        return connection;
    }

    /** Completes once connections are served. */
    public CompletableFuture<Void> readyFuture() {
        return ready;
    }

    /** Starts serving connections: the durable state has been recovered. */
    public void ready() {
        ready.complete(null);
    }

    /** Runs a step on the broker thread, then flushes what it sent. Any thread. */
    public void execute(Runnable step) {
        try {
            thread.execute(() -> {
                try {
                    host.tick(clock.nowMs());
                    step.run();
                } catch (RuntimeException e) {
                    log.error("AMQP broker step failed", e);
                } finally {
                    host.store().flush();
                    flushDirty();
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopping: nothing more runs.
        }
    }

    private void flushDirty() {
        for (AmqpConnection connection : dirty) {
            connection.flush();
        }
        dirty.clear();
    }

    /** A connection sent frames during this step: they leave when it ends. */
    public void sent(AmqpConnection connection) {
        dirty.add(connection);
    }

    public void connectionClosed(AmqpConnection connection) {
        connections.remove(connection);
    }

    public VirtualHost host() {
        return host;
    }

    public AmqpConfig config() {
        return config;
    }

    public String version() {
        return version;
    }

    public long nowMs() {
        return clock.nowMs();
    }

    /** Schedules a step after {@code delayMs} on the broker thread. */
    public void schedule(Runnable step, long delayMs) {
        try {
            thread.schedule(() -> execute(step), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    /** Pushes ready messages of every queue to consumers with room (after a socket drained, a qos change). */
    public void dispatchAll() {
        long now = clock.nowMs();
        for (AmqpQueue queue : List.copyOf(host.queues())) {
            queue.dispatch(now);
        }
    }

    private void sweep() {
        long now = clock.nowMs();
        long queuedBytes = 0;
        for (AmqpQueue queue : new ArrayList<>(host.queues())) {
            queue.expire(now);
            if (queue.expiresDue(now)) {
                deleteQueue(queue);
                continue;
            }
            queue.dispatch(now);
            queuedBytes += queue.readyBytes();
        }
        applyMemoryLimit(queuedBytes);
    }

    private void applyMemoryLimit(long queuedBytes) {
        if (!blocked && queuedBytes > config.memoryHighWatermarkBytes()) {
            blocked = true;
            log.warn("AMQP queues hold {} bytes, over the memory limit: blocking publishers", queuedBytes);
            connections.forEach(c -> c.blocked(true));
        } else if (blocked && queuedBytes < config.memoryHighWatermarkBytes() * 8 / 10) {
            blocked = false;
            connections.forEach(c -> c.blocked(false));
        }
    }

    /** Whether publishers are blocked by the memory limit. */
    public boolean blocked() {
        return blocked;
    }

    /** Deletes a queue, telling its consumers (basic.cancel to clients that asked for consumer_cancel_notify). */
    public int deleteQueue(AmqpQueue queue) {
        for (AmqpConnection connection : List.copyOf(connections)) {
            connection.queueDeleted(queue);
        }
        return host.deleteQueue(queue, false, false);
    }

    /** Every connection, to delete the exclusive queues of one that closed. */
    public List<AmqpConnection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
