package io.wharf.network;

import io.wharf.common.Endpoint;
import java.util.List;

/**
 * How the network server runs.
 *
 * @param listeners where to listen; port 0 picks a free port
 * @param socketRequestMaxBytes the largest request frame; a larger one closes its connection
 * @param connectionsMaxIdleMs close a connection with no traffic for this long
 * @param maxInFlightRequestsPerConnection unanswered requests per connection before it stops being read
 * @param queuedMaxRequestBytes request bytes held at once across all connections before reading pauses
 * @param eventLoopThreads threads that run connections
 */
public record NetworkConfig(
        List<Endpoint> listeners,
        int socketRequestMaxBytes,
        long connectionsMaxIdleMs,
        int maxInFlightRequestsPerConnection,
        long queuedMaxRequestBytes,
        int eventLoopThreads) {}
