package io.wharf.network.amqp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Sets up the pipeline of a connection to an AMQP listener: the frame decoder, then a handler that tells the link
 * when its outbound buffer has room again.
 */
public final class AmqpChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final String listenerName;
    private final AmqpSessionFactory factory;
    private final int frameMaxBytes;
    private final LongSupplier ids;
    private final Consumer<SocketChannel> opened;

    /**
     * @param frameMaxBytes the largest frame read before connection.tune-ok lowers it
     * @param ids connection ids, shared with the Kafka listeners
     * @param opened told of every new connection (the server keeps them to close at shutdown)
     */
    public AmqpChannelInitializer(
            String listenerName,
            AmqpSessionFactory factory,
            int frameMaxBytes,
            LongSupplier ids,
            Consumer<SocketChannel> opened) {
        this.listenerName = listenerName;
        this.factory = factory;
        this.frameMaxBytes = frameMaxBytes;
        this.ids = ids;
        this.opened = opened;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        opened.accept(channel);
        AmqpLink link = new AmqpLink(ids.getAsLong(), listenerName, channel, frameMaxBytes);
        channel.pipeline().addLast(new AmqpFrameDecoder(link, factory)).addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                link.writabilityChanged();
                ctx.fireChannelWritabilityChanged();
            }
        });
    }
}
