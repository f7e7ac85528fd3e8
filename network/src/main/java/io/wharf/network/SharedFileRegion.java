package io.wharf.network;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A region of a log segment to send with {@code sendfile}. It extends {@link DefaultFileRegion} because Netty's epoll
 * transport sends only that type with the native call; unlike it, releasing the region leaves the channel open, since
 * the channel belongs to the log and serves every reader.
 */
final class SharedFileRegion extends DefaultFileRegion {

    SharedFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // The segment's channel is closed by the log, never by a response.
    }
}
