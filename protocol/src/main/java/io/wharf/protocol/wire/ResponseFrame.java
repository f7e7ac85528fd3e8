package io.wharf.protocol.wire;

import java.util.List;

/**
 * A response ready for the wire: its parts in order, without the 4-byte size prefix, which the network adds. The
 * special frame {@link #NONE} means the request gets no response at all (a produce with {@code acks=0}).
 */
public final class ResponseFrame {

    /** No response is sent, but the request still takes its turn in the connection's order. */
    public static final ResponseFrame NONE = new ResponseFrame(List.of(), 0);

    private final List<FramePart> parts;
    private final int sizeInBytes;

    private ResponseFrame(List<FramePart> parts, int sizeInBytes) {
        this.parts = parts;
        this.sizeInBytes = sizeInBytes;
    }

    public static ResponseFrame of(List<FramePart> parts) {
        int size = 0;
        for (FramePart part : parts) {
            size += part.sizeInBytes();
        }
        return new ResponseFrame(List.copyOf(parts), size);
    }

    public List<FramePart> parts() {
        return parts;
    }

    /** The frame's size, without the size prefix. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    public boolean isNone() {
        return this == NONE;
    }
}
