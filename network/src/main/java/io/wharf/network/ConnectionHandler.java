package io.wharf.network;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.wharf.protocol.wire.FramePart;
import io.wharf.protocol.wire.MalformedRequestException;
import io.wharf.protocol.wire.ResponseFrame;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: hands each frame to the processor, keeps the unanswered ones in arrival order, and writes
 * each response only when every earlier one has been written, so a slow produce never lets a later metadata response
 * overtake it. Runs on the connection's event loop; completions from other threads are handed back to it.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    /** A request waiting for its response, in arrival order. */
    private static final class Pending {
        final Frame frame;
        ResponseFrame response;
        Throwable failure;
        boolean done;

        Pending(Frame frame) {
            this.frame = frame;
        }
    }

    private final RequestProcessor processor;
    private final RequestMemory memory;
    private final int maxInFlight;
    private final AtomicInteger inFlightTotal;
    private final Connection connection;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ReadGate gate;
    private boolean closing;

    ConnectionHandler(
            RequestProcessor processor,
            RequestMemory memory,
            int maxInFlight,
            AtomicInteger inFlightTotal,
            Connection connection) {
        this.processor = processor;
        this.memory = memory;
        this.maxInFlight = maxInFlight;
        this.inFlightTotal = inFlightTotal;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        gate = ctx.channel().attr(NetworkServer.GATE).get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        if (closing) {
            release(frame);
            return;
        }
        Pending request = new Pending(frame);
        pending.addLast(request);
        inFlightTotal.incrementAndGet();
        CompletionStage<ResponseFrame> stage;
        try {
            stage = processor.process(connection, frame.bytes().nioBuffer());
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((response, failure) -> {
            if (ctx.executor().inEventLoop()) {
                complete(ctx, request, response, failure);
            } else {
                ctx.executor().execute(() -> complete(ctx, request, response, failure));
            }
        });
        gate.set(ReadGate.Reason.IN_FLIGHT, pending.size() >= maxInFlight);
    }

    private void complete(ChannelHandlerContext ctx, Pending request, ResponseFrame response, Throwable failure) {
        request.done = true;
        request.response = response;
        request.failure = failure;
        release(request.frame);
        inFlightTotal.decrementAndGet();
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            Pending head = pending.pollFirst();
            if (head.failure != null) {
                closeForFailure(ctx, head.failure);
                break;
            }
            if (!head.response.isNone() && !closing) {
                write(ctx, head.response);
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        gate.set(ReadGate.Reason.IN_FLIGHT, pending.size() >= maxInFlight);
    }

    private void write(ChannelHandlerContext ctx, ResponseFrame response) {
        ctx.write(ctx.alloc().buffer(4).writeInt(response.sizeInBytes()));
        for (FramePart part : response.parts()) {
            if (part instanceof FramePart.Bytes bytes) {
                ctx.write(Unpooled.wrappedBuffer(bytes.buffer()));
            } else if (part instanceof FramePart.FileRegion region) {
                ctx.write(new SharedFileRegion(region.channel(), region.position(), region.length()));
            }
        }
    }

    private void closeForFailure(ChannelHandlerContext ctx, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof MalformedRequestException) {
            log.warn("Closing {}: {}", connection, cause.getMessage());
        } else {
            log.error("Closing {} after a failed request", connection, cause);
        }
        closing = true;
        ctx.flush();
        ctx.close();
    }

    private void release(Frame frame) {
        frame.bytes().release();
        memory.release(frame.reservedBytes());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        gate.set(ReadGate.Reason.UNWRITABLE, !ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            log.debug("Closing {}: idle for connections.max.idle.ms", connection);
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        processor.connectionClosed(connection);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Closing {}: {}", connection, cause.getMessage());
        } else {
            log.warn("Closing {}: {}", connection, cause.toString());
        }
        closing = true;
        ctx.close();
    }
}
