package io.wharf.network;

import io.netty.channel.Channel;

/**
 * One client connection, as request processors see it: an id, where it comes from, which listener it reached. It
 * may be closed from any thread.
 */
public final class Connection {

    private final long id;
    private final String listenerName;
    private final Channel channel;

    Connection(long id, String listenerName, Channel channel) {
        this.id = id;
        this.listenerName = listenerName;
        this.channel = channel;
    }

    public long id() {
        return id;
    }

    public String listenerName() {
        return listenerName;
    }

    /** The client's address as {@code host:port}. */
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + remoteAddress() + " on " + listenerName;
    }
}
