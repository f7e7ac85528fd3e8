package io.wharf.network.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an AMQP connection: first the 8-byte protocol header, then frames. A wrong header is answered with the
 * supported one and the connection closed (the spec's section 4.2.2). A frame whose payload exceeds the link's
 * negotiated frame size, or whose last octet is not the frame-end octet, is a framing error for the session to
 * report. Event loop only.
 */
final class AmqpFrameDecoder extends ByteToMessageDecoder {

    private final AmqpLink link;
    private final AmqpSessionFactory factory;
    private AmqpSession session;
    private boolean broken;

    AmqpFrameDecoder(AmqpLink link, AmqpSessionFactory factory) {
        this.link = link;
        this.factory = factory;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (session == null) {
            if (!readHeader(ctx, in)) {
                return;
            }
        }
        List<AmqpSession.Frame> frames = new ArrayList<>();
        try {
            readFrames(in, frames);
        } finally {
            if (!frames.isEmpty()) {
                session.frames(frames);
            }
        }
    }

    private void readFrames(ByteBuf in, List<AmqpSession.Frame> frames) {
        while (!broken && in.readableBytes() >= AmqpFrames.HEADER_BYTES) {
            int start = in.readerIndex();
            long size = in.getUnsignedInt(start + 3);
            if (size > link.frameMaxBytes() - AmqpFrames.OVERHEAD_BYTES) {
                session.frames(List.copyOf(frames));
                frames.clear();
                fail("a frame of " + size + " bytes exceeds frame_max " + link.frameMaxBytes());
                return;
            }
            if (in.readableBytes() < AmqpFrames.OVERHEAD_BYTES + size) {
                return;
            }
            int type = in.getUnsignedByte(start);
            int channel = in.getUnsignedShort(start + 1);
            byte[] payload = new byte[(int) size];
            in.getBytes(start + AmqpFrames.HEADER_BYTES, payload);
            int end = in.getUnsignedByte(start + AmqpFrames.HEADER_BYTES + (int) size);
            in.skipBytes(AmqpFrames.OVERHEAD_BYTES + (int) size);
            if (end != AmqpFrames.FRAME_END) {
                session.frames(List.copyOf(frames));
                frames.clear();
                fail("a frame ended with " + end + " instead of the frame-end octet");
                return;
            }
            frames.add(new AmqpSession.Frame(type, channel, payload));
        }
    }

    private boolean readHeader(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < AmqpFrames.PROTOCOL_HEADER.length) {
            return false;
        }
        byte[] header = new byte[AmqpFrames.PROTOCOL_HEADER.length];
        in.readBytes(header);
        if (!Arrays.equals(header, AmqpFrames.PROTOCOL_HEADER)) {
            broken = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(AmqpFrames.PROTOCOL_HEADER))
                    .addListener(ChannelFutureListener.CLOSE);
            return false;
        }
        session = factory.open(link);
        return true;
    }

    private void fail(String reason) {
        broken = true;
        session.framingError(reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.closed();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
