package io.wharf.metadata.controller;

import io.wharf.common.Endpoint;
import io.wharf.metadata.image.BrokerImage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Asks the operating system whether a broker's process is still there, by connecting to the listeners it registered.
 *
 * <p>A broker whose heartbeats are late may be slow (a GC pause, a busy disk), cut off, or dead. Only the last is
 * certain at once: when a process dies its host closes its listening sockets, so a connection to them is refused.
 * The controller fences a late broker whose every registered listener refuses a connection without waiting out the
 * rest of its session; a broker that answers, or cannot be reached at all (a network split: the connection times
 * out), keeps its whole session, as before. A new process of the same node on the same ports answers the probe, and
 * fences the dead one by registering with a new incarnation anyway.
 *
 * <p>Probes run on one daemon thread of their own, never on the controller's. Thread-safe.
 */
public final class ListenerProbe implements AutoCloseable {

    private final int connectTimeoutMs;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wharf-controller-probe");
        t.setDaemon(true);
        return t;
    });

    public ListenerProbe(int connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** Completes with true when every listener {@code broker} registered refused a connection. */
    public CompletableFuture<Boolean> allRefused(BrokerImage broker) {
        return CompletableFuture.supplyAsync(
                () -> !broker.endpoints().isEmpty()
                        && broker.endpoints().stream().allMatch(this::refuses),
                thread);
    }

    private boolean refuses(Endpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), connectTimeoutMs);
            return false;
        } catch (ConnectException e) {
            // "Connection refused": nothing listens there. A timeout is a SocketTimeoutException, not this.
            return e.getMessage() != null && e.getMessage().contains("refused");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
