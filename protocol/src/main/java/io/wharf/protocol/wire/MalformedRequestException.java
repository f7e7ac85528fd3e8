package io.wharf.protocol.wire;

/**
 * A frame that cannot be read as a Kafka request: the connection that sent it is closed, since nothing it sends
 * afterwards can be trusted to be aligned on a frame.
 */
public final class MalformedRequestException extends RuntimeException {

    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    public MalformedRequestException(String message) {
        super(message, null, false, false);
    }
}
