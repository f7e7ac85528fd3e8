package io.wharf.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's own client of other brokers (replica fetchers): one connection per address, requests pipelined on it
 * and matched to their responses by correlation id. A request is a frame without its 4-byte size (its header says
 * which correlation id it has); a response is the frame that comes back, starting with the same id.
 *
 * <p>A connection that closes fails every request waiting on it, and the next request opens a new one. A request
 * not answered within its timeout fails; the connection stays.
 *
 * <p>Thread-safe. Responses complete on the client's event loop: callers must not block on it.
 */
public final class NetworkClient implements AutoCloseable {

    private final EventLoopGroup loop;
    private final Class<? extends SocketChannel> channelType;
    private final int maxFrameBytes;
    private final long connectTimeoutMs;
    private final AtomicInteger correlationIds = new AtomicInteger();
    private final Map<InetSocketAddress, Connection> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One connection and the requests waiting on it. */
    private static final class Connection {
        final CompletableFuture<Channel> channel = new CompletableFuture<>();
        final Map<Integer, CompletableFuture<ByteBuffer>> pending = new ConcurrentHashMap<>();

        void failAll(Throwable failure) {
            pending.values().forEach(f -> f.completeExceptionally(failure));
            pending.clear();
        }
    }

    /**
     * @param threadName the name of the client's one event loop thread
     * @param maxFrameBytes the largest response it reads; a larger one closes the connection
     */
    public NetworkClient(String threadName, int maxFrameBytes, long connectTimeoutMs) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), handlers);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.maxFrameBytes = maxFrameBytes;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** A correlation id no other request of this client has in flight. */
    public int nextCorrelationId() {
        return correlationIds.incrementAndGet() & Integer.MAX_VALUE;
    }

    /**
     * Sends a request frame to {@code host:port}.
     *
     * @param correlationId the id the frame's header carries
     * @return the response frame (without its size), starting with the correlation id
     */
    public CompletableFuture<ByteBuffer> send(
            String host, int port, ByteBuffer request, int correlationId, long timeoutMs) {
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("the client is closed"));
        }
        InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
        Connection connection = connections.computeIfAbsent(address, a -> connect(host, port, a));
        CompletableFuture<ByteBuffer> response = new CompletableFuture<>();
        connection.pending.put(correlationId, response);
        connection.channel.whenComplete((channel, failure) -> {
            if (failure != null) {
                connection.pending.remove(correlationId);
                response.completeExceptionally(failure);
                return;
            }
            channel.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener(written -> {
                if (!written.isSuccess()) {
                    connection.pending.remove(correlationId);
                    response.completeExceptionally(written.cause());
                }
            });
        });
        loop.schedule(
                () -> {
                    if (connection.pending.remove(correlationId) != null) {
                        response.completeExceptionally(new TimeoutException(
                                "no answer from " + host + ":" + port + " within " + timeoutMs + " ms"));
                    }
                },
                timeoutMs,
                TimeUnit.MILLISECONDS);
        return response;
    }

    private Connection connect(String host, int port, InetSocketAddress key) {
        Connection connection = new Connection();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMs)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4))
                                .addLast(new LengthFieldPrepender(4))
                                .addLast(new ResponseHandler(connection));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(new InetSocketAddress(host, port));
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                Channel channel = connecting.channel();
                channel.closeFuture().addListener(c -> {
                    connections.remove(key, connection);
                    connection.failAll(new IOException("the connection to " + host + ":" + port + " closed"));
                });
                connection.channel.complete(channel);
            } else {
                connections.remove(key, connection);
                connection.channel.completeExceptionally(done.cause());
                connection.failAll(done.cause());
            }
        });
        return connection;
    }

    /** Completes each response frame with the request waiting for its correlation id. */
    private static final class ResponseHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final Connection connection;

        ResponseHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (frame.readableBytes() < 4) {
                ctx.close();
                return;
            }
            int correlationId = frame.getInt(frame.readerIndex());
            CompletableFuture<ByteBuffer> waiting = connection.pending.remove(correlationId);
            if (waiting != null) {
                ByteBuffer copy = ByteBuffer.allocate(frame.readableBytes());
                frame.readBytes(copy);
                waiting.complete(copy.flip());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connection.failAll(cause);
            ctx.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        connections.values().forEach(c -> c.channel.thenAccept(Channel::close));
        connections.clear();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
