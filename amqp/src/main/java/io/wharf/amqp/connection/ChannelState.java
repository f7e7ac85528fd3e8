package io.wharf.amqp.connection;

/**
 * Where a channel is in its life and in reading a published message's content.
 *
 * <pre>
 * OPEN ──basic.publish──▶ AWAITING_HEADER ──header, size 0──▶ OPEN
 *                              │
 *                              └──header──▶ AWAITING_BODY ──last body frame──▶ OPEN
 * OPEN, AWAITING_* ──channel error: we send close──▶ CLOSING ──close-ok (or close)──▶ CLOSED
 * OPEN ──client's close: we answer close-ok──▶ CLOSED
 * any ──connection gone──▶ CLOSED
 * </pre>
 *
 * A channel in CLOSING ignores every frame but close and close-ok, as the spec asks.
 */
public enum ChannelState {
    OPEN,
    AWAITING_HEADER,
    AWAITING_BODY,
    CLOSING,
    CLOSED;

    boolean canMoveTo(ChannelState next) {
        return switch (this) {
            case OPEN -> next == AWAITING_HEADER || next == CLOSING || next == CLOSED;
            case AWAITING_HEADER -> next == AWAITING_BODY || next == OPEN || next == CLOSING || next == CLOSED;
            case AWAITING_BODY -> next == OPEN || next == CLOSING || next == CLOSED;
            case CLOSING -> next == CLOSED;
            case CLOSED -> false;
        };
    }
}
