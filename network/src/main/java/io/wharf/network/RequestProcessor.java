package io.wharf.network;

import io.wharf.protocol.wire.ResponseFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Turns request frames into responses. Implemented by the broker.
 *
 * <p>Called on the connection's event loop, so it must not block: work that touches the disk or waits goes to other
 * threads and completes the returned stage from there. The frame's bytes stay valid until the stage completes.
 * Completing exceptionally closes the connection after every earlier response has been sent.
 */
@FunctionalInterface
public interface RequestProcessor {

    /**
     * @param frame one request, without its 4-byte size prefix
     * @return the response, or {@link ResponseFrame#NONE} when none is to be sent
     */
    CompletionStage<ResponseFrame> process(Connection connection, ByteBuffer frame);

    /** Told once when a connection is gone, after its last request has completed or been abandoned. */
    default void connectionClosed(Connection connection) {}
}
