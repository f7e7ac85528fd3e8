package io.wharf.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the byte stream into frames: a 4-byte big-endian size, then that many bytes. A negative size or one above
 * {@code socket.request.max.bytes} closes the connection (logged once). A frame's memory is reserved when its size is
 * read, before its bytes are buffered, so a client announcing huge frames cannot make the broker hold them.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxFrameBytes;
    private final RequestMemory memory;
    private ReadGate gate;
    private int reservedForNext = -1;

    FrameDecoder(int maxFrameBytes, RequestMemory memory) {
        this.maxFrameBytes = maxFrameBytes;
        this.memory = memory;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        gate = ctx.channel().attr(NetworkServer.GATE).get();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int size = in.getInt(in.readerIndex());
            if (size < 0 || size > maxFrameBytes) {
                log.warn(
                        "Closing connection from {}: frame of {} bytes is outside [0, socket.request.max.bytes={}]",
                        ctx.channel().remoteAddress(),
                        size,
                        maxFrameBytes);
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (reservedForNext < 0) {
                if (!memory.tryReserve(size, () -> ctx.executor().execute(() -> retry(ctx)))) {
                    gate.set(ReadGate.Reason.MEMORY, true);
                    return;
                }
                reservedForNext = size;
            }
            if (in.readableBytes() < 4 + size) {
                return;
            }
            in.skipBytes(4);
            out.add(new Frame(in.readRetainedSlice(size), size));
            reservedForNext = -1;
        }
    }

    /** Memory was released somewhere: try again to reserve for the frame that is waiting. */
    private void retry(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        gate.set(ReadGate.Reason.MEMORY, false);
        // Re-run decode over what is already buffered.
        channelReadSafely(ctx);
    }

    private void channelReadSafely(ChannelHandlerContext ctx) {
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseReservation();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseReservation();
        super.channelInactive(ctx);
    }

    private void releaseReservation() {
        if (reservedForNext >= 0) {
            memory.release(reservedForNext);
            reservedForNext = -1;
        }
    }
}
