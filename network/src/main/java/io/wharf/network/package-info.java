/**
 * The network server. {@link io.wharf.network.NetworkServer} accepts connections on Netty event loops (epoll where
 * available); each connection lives on one loop for its whole life. Frames are bounded by
 * {@code socket.request.max.bytes}, all queued request bytes together by {@code queued.max.request.bytes}, and
 * each connection's unanswered requests by its in-flight limit; past any bound the connection stops being read
 * rather than the broker buffering more. Responses leave in request order. Record data leaves as file regions,
 * sent with {@code sendfile}.
 *
 * <p>This is the only module that imports Netty. It hands each frame to a
 * {@link io.wharf.network.RequestProcessor} and never blocks an event loop on it.
 */
package io.wharf.network;
