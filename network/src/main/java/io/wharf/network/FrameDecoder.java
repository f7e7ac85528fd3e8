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
        gate.onOpen(() -> ctx.executor().execute(() -> redecode(ctx)));
    }

    /**
     * Emits at most one frame per call, and none while the read gate is closed: the connection handler sees each frame
     * (and may close the gate) before the next one is cut, so its in-flight limit is exact even for frames that
     * arrived together.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() >= 4 && gate.isOpen()) {
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
                if (!memory.tryReserve(size, () -> ctx.executor().execute(() -> memoryFreed(ctx)))) {
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

    /** Memory was released somewhere: open the gate, which re-runs decoding to retry the reservation. */
    private void memoryFreed(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            gate.set(ReadGate.Reason.MEMORY, false);
        }
    }

    /** Decodes again over what is already buffered. */
    private void redecode(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive() || ctx.isRemoved()) {
            return;
        }
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
