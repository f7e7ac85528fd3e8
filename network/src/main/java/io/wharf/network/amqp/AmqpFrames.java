package io.wharf.network.amqp;

/** The constants of AMQP 0-9-1 framing (the spec's section 4.2.3). */
public final class AmqpFrames {

    /** The header a client opens with and the one the server answers a wrong header with. */
    public static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    public static final int METHOD = 1;
    public static final int HEADER = 2;
    public static final int BODY = 3;
    public static final int HEARTBEAT = 8;

    /** The octet that ends every frame. */
    public static final int FRAME_END = 0xCE;

    /** Type, channel and size before the payload. */
    public static final int HEADER_BYTES = 7;

    /** Header plus frame-end octet: what a frame costs beyond its payload. */
    public static final int OVERHEAD_BYTES = HEADER_BYTES + 1;

    /** The smallest frame_max a peer may negotiate. */
    public static final int FRAME_MIN_BYTES = 4096;

    private AmqpFrames() {}
}
