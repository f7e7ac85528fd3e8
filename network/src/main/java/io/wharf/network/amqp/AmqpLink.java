package io.wharf.network.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * What the AMQP front end holds of one connection. Frames are appended to an outbound buffer by {@link #send} from any
 * thread and leave together on {@link #flush()}, so a burst of deliveries costs one hand-over to the event loop.
 * Thread-safe.
 */
public final class AmqpLink {

    private static final int BUFFER_START_BYTES = 4096;

    private final long id;
    private final String listenerName;
    private final Channel channel;
    private volatile int frameMaxBytes;
    private volatile Runnable onWritable = () -> {};
    private volatile boolean readPaused;
    private ByteBuf pending;

    AmqpLink(long id, String listenerName, Channel channel, int frameMaxBytes) {
        this.id = id;
        this.listenerName = listenerName;
        this.channel = channel;
        this.frameMaxBytes = frameMaxBytes;
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

    /** Whether the client connects from this machine's loopback interface. */
    public boolean fromLoopback() {
        return channel.remoteAddress() instanceof InetSocketAddress address
                && address.getAddress() != null
                && address.getAddress().isLoopbackAddress();
    }

    /** The largest frame accepted from the client, header and frame-end octet included. */
    public int frameMaxBytes() {
        return frameMaxBytes;
    }

    /** Sets the frame size negotiated by connection.tune-ok. */
    public void frameMaxBytes(int bytes) {
        this.frameMaxBytes = bytes;
    }

    /** Appends one frame; it leaves on the next {@link #flush()}. */
    public void send(int type, int channelNumber, byte[] payload) {
        send(type, channelNumber, payload, 0, payload.length);
    }

    /** Appends one frame whose payload is {@code length} bytes of {@code payload} from {@code offset}. */
    public synchronized void send(int type, int channelNumber, byte[] payload, int offset, int length) {
        if (pending == null) {
            pending = channel.alloc().buffer(Math.max(BUFFER_START_BYTES, length + AmqpFrames.OVERHEAD_BYTES));
        }
        pending.writeByte(type);
        pending.writeShort(channelNumber);
        pending.writeInt(length);
        pending.writeBytes(payload, offset, length);
        pending.writeByte(AmqpFrames.FRAME_END);
    }

    /** Writes every appended frame to the socket. */
    public void flush() {
        ByteBuf out;
        synchronized (this) {
            out = pending;
            pending = null;
        }
        if (out != null) {
            channel.writeAndFlush(out, channel.voidPromise());
        }
    }

    /** Whether the socket's outbound buffer has room; deliveries wait while it has not. */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** What to run (on the event loop) when the outbound buffer has room again. */
    public void onWritable(Runnable action) {
        this.onWritable = action;
    }

    /** Stops or resumes reading the client's bytes: how a publisher is slowed without dropping anything. */
    public void readPaused(boolean paused) {
        readPaused = paused;
        channel.eventLoop().execute(() -> channel.config().setAutoRead(!paused));
    }

    /**
     * Starts heartbeats of {@code seconds}: a heartbeat frame whenever nothing was sent for that long, and the
     * connection closed when nothing arrived for two of them.
     */
    public void startHeartbeats(int seconds) {
        if (seconds <= 0) {
            return;
        }
        channel.eventLoop().execute(() -> {
            if (channel.pipeline().get(HeartbeatHandler.class) == null) {
                channel.pipeline()
                        .addFirst(new HeartbeatHandler())
                        .addFirst(new IdleStateHandler(2L * seconds, seconds, 0, TimeUnit.SECONDS));
            }
        });
    }

    /** Flushes what was appended, then closes. */
    public void close() {
        flush();
        channel.close();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    void writabilityChanged() {
        if (channel.isWritable()) {
            onWritable.run();
        }
    }

    @Override
    public String toString() {
        return "AMQP connection " + id + " from " + remoteAddress();
    }

    private final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.READER_IDLE && !readPaused) {
                    // Nothing arrived for two heartbeats; a connection we stopped reading is not to blame.
                    ctx.close();
                } else if (idle.state() == IdleState.WRITER_IDLE) {
                    AmqpLink.this.send(AmqpFrames.HEARTBEAT, 0, new byte[0]);
                    AmqpLink.this.flush();
                }
                return;
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
