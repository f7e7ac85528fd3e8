package io.wharf.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.wharf.common.Endpoint;
import io.wharf.network.amqp.AmqpChannelInitializer;
import io.wharf.network.amqp.AmqpSessionFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts Kafka clients (and AMQP clients on the listeners {@link #addAmqpListeners} adds) on every configured listener and runs their connections on a fixed set of event loops.
 *
 * <pre>
 * per connection:  IdleStateHandler → FrameDecoder (size, memory) → ConnectionHandler (order, in-flight)
 * </pre>
 *
 * <p>Lifecycle: {@link #start()} binds every listener; {@link #stopAccepting()} closes the listening sockets;
 * {@link #awaitInFlight(long)} waits for the requests already read to be answered; {@link #close()} closes every
 * connection and stops the loops.
 */
public final class NetworkServer implements AutoCloseable {

    static final AttributeKey<ReadGate> GATE = AttributeKey.valueOf("wharf.readGate");

    private static final Logger log = LoggerFactory.getLogger(NetworkServer.class);

    private final NetworkConfig config;
    private final RequestProcessor processor;
    private final RequestMemory memory;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong connectionIds = new AtomicLong();
    private final ChannelGroup connections = new DefaultChannelGroup("wharf-connections", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> listening = new LinkedHashMap<>();
    private final boolean epoll;
    private final Map<Endpoint, AmqpSessionFactory> amqpListeners = new LinkedHashMap<>();
    private int amqpFrameMaxBytes;
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;

    public NetworkServer(NetworkConfig config, RequestProcessor processor) {
        this.config = config;
        this.processor = processor;
        this.memory = new RequestMemory(config.queuedMaxRequestBytes());
        this.epoll = Epoll.isAvailable();
    }

    /**
     * Adds listeners that speak AMQP 0-9-1 rather than Kafka's protocol, run on the same event loops; call before
     * {@link #start()}.
     *
     * @param frameMaxBytes the largest frame read from a client before it negotiates a smaller one
     */
    public void addAmqpListeners(List<Endpoint> endpoints, int frameMaxBytes, AmqpSessionFactory sessions) {
        for (Endpoint endpoint : endpoints) {
            amqpListeners.put(endpoint, sessions);
        }
        this.amqpFrameMaxBytes = frameMaxBytes;
    }

    /** Binds every listener. */
    public void start() throws InterruptedException {
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("wharf-accept", true), handlers);
        workers = new MultiThreadIoEventLoopGroup(
                config.eventLoopThreads(), new DefaultThreadFactory("wharf-network", true), handlers);
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        List<Endpoint> endpoints = new ArrayList<>(config.listeners());
        endpoints.addAll(amqpListeners.keySet());
        for (Endpoint endpoint : endpoints) {
            AmqpSessionFactory amqp = amqpListeners.get(endpoint);
            ChannelInitializer<SocketChannel> initializer = amqp == null
                    ? initializer(endpoint.listenerName())
                    : new AmqpChannelInitializer(
                            endpoint.listenerName(),
                            amqp,
                            amqpFrameMaxBytes,
                            connectionIds::incrementAndGet,
                            connections::add);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .childHandler(initializer);
            InetSocketAddress address = endpoint.host().isEmpty()
                    ? new InetSocketAddress(endpoint.port())
                    : new InetSocketAddress(endpoint.host(), endpoint.port());
            Channel channel = bootstrap.bind(address).sync().channel();
            listening.put(endpoint.listenerName(), channel);
        }
        log.debug(
                "Listening on {} with {} event loops ({})",
                listening.keySet(),
                config.eventLoopThreads(),
                epoll ? "epoll" : "nio");
    }

    private ChannelInitializer<SocketChannel> initializer(String listenerName) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                connections.add(channel);
                channel.attr(GATE).set(new ReadGate(channel));
                Connection connection = new Connection(connectionIds.incrementAndGet(), listenerName, channel);
                channel.pipeline()
                        .addLast(new IdleStateHandler(0, 0, config.connectionsMaxIdleMs(), TimeUnit.MILLISECONDS))
                        .addLast(new FrameDecoder(config.socketRequestMaxBytes(), memory))
                        .addLast(new ConnectionHandler(
                                processor, memory, config.maxInFlightRequestsPerConnection(), inFlight, connection));
            }
        };
    }

    /** The port a listener is bound to (the real one when the config said 0). */
    public int boundPort(String listenerName) {
        Channel channel = listening.get(listenerName);
        if (channel == null) {
            throw new IllegalArgumentException("no listener named " + listenerName);
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Whether connections use Linux's epoll (and so {@code sendfile} for record data). */
    /**
     * Loads and initializes what a server's start needs most time for (the native transport, the buffer allocator),
     * so that a caller can do it on another thread while it prepares everything else.
     */
    public static void preload() {
        if (Epoll.isAvailable()) {
            EpollIoHandler.newFactory();
        }
        io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(1).release();
    }

    public boolean usesEpoll() {
        return epoll;
    }

    /** Closes the listening sockets; connections already open stay. */
    public void stopAccepting() {
        for (Channel channel : listening.values()) {
            channel.close().syncUninterruptibly();
        }
    }

    /** Waits until every request read so far is answered, or {@code timeoutMs} passes; returns whether it drained. */
    public boolean awaitInFlight(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** How many requests have been read and not yet answered, over all connections. */
    public int inFlightRequests() {
        return inFlight.get();
    }

    /** Request bytes currently reserved. */
    public long requestMemoryUsed() {
        return memory.used();
    }

    @Override
    public void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (acceptors != null) {
            acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
