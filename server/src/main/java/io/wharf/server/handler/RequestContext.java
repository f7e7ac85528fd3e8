package io.wharf.server.handler;

import io.wharf.network.Connection;

/**
 * Who sent a request and when.
 *
 * @param connection the client connection
 * @param listenerName the listener it came in on (Metadata answers with that listener's addresses)
 * @param receivedAtMs when the broker read it
 */
public record RequestContext(Connection connection, String listenerName, long receivedAtMs) {}
