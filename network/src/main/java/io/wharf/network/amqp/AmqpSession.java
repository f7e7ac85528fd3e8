package io.wharf.network.amqp;

/**
 * The AMQP front end's side of one connection. Called on the connection's event loop, in the order the frames
 * arrived; it must not block (hand work to other threads).
 */
public interface AmqpSession {

    /**
     * One frame, after the protocol header was accepted.
     *
     * @param type the frame type octet (1 method, 2 content header, 3 content body, 8 heartbeat)
     * @param channel the channel number
     * @param payload the frame's payload, owned by the callee
     */
    void frame(int type, int channel, byte[] payload);

    /**
     * Every frame one read of the socket produced, in order: a session can hand them on together. By default one by
     * one to {@link #frame}.
     */
    default void frames(java.util.List<Frame> frames) {
        for (Frame f : frames) {
            frame(f.type(), f.channel(), f.payload());
        }
    }

    /** One frame read. */
    record Frame(int type, int channel, byte[] payload) {}

    /**
     * The peer broke the framing (a frame larger than allowed, a wrong frame-end octet). The session answers with a
     * connection.close (501 FRAME_ERROR) and closes the link.
     */
    void framingError(String reason);

    /** The connection is gone (closed by either side, or its heartbeats stopped); called once. */
    void closed();
}
