package io.wharf.server.handler;

import io.wharf.common.Clock;
import io.wharf.common.concurrent.SerialExecutor;
import io.wharf.network.Connection;
import io.wharf.network.RequestProcessor;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.protocol.wire.MalformedRequestException;
import io.wharf.protocol.wire.RequestCodec;
import io.wharf.protocol.wire.ResponseCodec;
import io.wharf.protocol.wire.ResponseFrame;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each frame, finds its handler, runs it (on the event loop when cheap or when it cannot block and nothing
 * else of its connection is in progress, else on the request threads, one request of a connection at a time and in
 * arrival order) and encodes the response. A version the handler does not
 * serve is answered UNSUPPORTED_VERSION; a frame that cannot be decoded closes its connection; a handler bug is
 * answered UNKNOWN_SERVER_ERROR and logged.
 */
public final class RequestDispatcher implements RequestProcessor {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final HandlerRegistry registry;
    private final ApiVersionsHandler apiVersions;
    private final Executor requestThreads;
    private final Clock clock;
    private final Map<Connection, SerialExecutor> serialByConnection = new ConcurrentHashMap<>();
    private final Consumer<Connection> onClosed;

    /** @param onClosed told of every connection once it is gone (share sessions end with their connection) */
    public RequestDispatcher(
            HandlerRegistry registry, Executor requestThreads, Clock clock, Consumer<Connection> onClosed) {
        this.onClosed = onClosed;
        this.registry = registry;
        this.apiVersions = (ApiVersionsHandler) registry.handler(ApiKeys.API_VERSIONS);
        this.requestThreads = requestThreads;
        this.clock = clock;
    }

    @Override
    public CompletionStage<ResponseFrame> process(Connection connection, ByteBuffer frame) {
        KafkaRequest request;
        try {
            request = RequestCodec.decode(frame);
        } catch (MalformedRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (request.apiKey() == ApiKeys.API_VERSIONS) {
            return CompletableFuture.completedFuture(apiVersions.respond(request));
        }
        ApiHandler handler = registry.handler(request.apiKey());
        if (handler == null
                || request.isUnsupportedVersion()
                || request.version() < handler.minVersion()
                || request.version() > handler.maxVersion()) {
            return refuseVersion(request, handler);
        }
        RequestContext context = new RequestContext(connection, connection.listenerName(), clock.nowMs());
        SerialExecutor serial = serial(connection);
        CompletableFuture<ApiMessage> response =
                handler.runsOnEventLoop() || (serial.isIdle() && handler.answersWithoutBlocking(request))
                        ? invoke(handler, context, request)
                        : CompletableFuture.supplyAsync(() -> invoke(handler, context, request), serial)
                                .thenCompose(f -> f);
        return response.handle((message, failure) -> encode(request, message, failure));
    }

    private SerialExecutor serial(Connection connection) {
        return serialByConnection.computeIfAbsent(connection, c -> new SerialExecutor(requestThreads));
    }

    @Override
    public void connectionClosed(Connection connection) {
        serialByConnection.remove(connection);
        onClosed.accept(connection);
    }

    private CompletionStage<ResponseFrame> refuseVersion(KafkaRequest request, ApiHandler handler) {
        String served = handler == null
                ? "this broker does not serve " + request.apiKey()
                : "this broker serves " + request.apiKey() + " v" + handler.minVersion() + " to v"
                        + handler.maxVersion();
        if (request.isUnsupportedVersion()) {
            return CompletableFuture.failedFuture(new MalformedRequestException(
                    "Cannot read " + request.apiKey() + " v" + request.version() + "; " + served));
        }
        return CompletableFuture.completedFuture(ResponseCodec.encode(
                request, request.errorResponse(Errors.UNSUPPORTED_VERSION, request + ": " + served)));
    }

    private static CompletableFuture<ApiMessage> invoke(
            ApiHandler handler, RequestContext context, KafkaRequest request) {
        try {
            return handler.handle(context, request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ResponseFrame encode(KafkaRequest request, ApiMessage message, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            log.error("Failed to handle {}", request, cause);
            return ResponseCodec.encode(
                    request, request.errorResponse(Errors.UNKNOWN_SERVER_ERROR, "Internal error: " + cause));
        }
        if (message == null) {
            return ResponseFrame.NONE;
        }
        try {
            return ResponseCodec.encode(request, message);
        } catch (RuntimeException e) {
            // A handler filled a field its version does not have: a bug, but the client still gets an answer.
            log.error("Cannot encode the response to {}", request, e);
            return ResponseCodec.encode(
                    request, request.errorResponse(Errors.UNKNOWN_SERVER_ERROR, "Internal error: " + e.getMessage()));
        }
    }
}
