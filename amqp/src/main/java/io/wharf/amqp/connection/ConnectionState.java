package io.wharf.amqp.connection;

/**
 * Where a connection is in its life.
 *
 * <pre>
 * AWAITING_START_OK ──start-ok, authenticated──▶ AWAITING_TUNE_OK ──tune-ok──▶ AWAITING_OPEN ──open──▶ OPEN
 *        │                                              │                          │                 │
 *        └──────────── error: we send close ────────────┴──────────────────────────┴─────────────────┴─▶ CLOSING
 * OPEN ──client's close: we answer close-ok──▶ CLOSED;  CLOSING ──close-ok (or close)──▶ CLOSED
 * any ──socket gone──▶ CLOSED
 * </pre>
 */
public enum ConnectionState {
    AWAITING_START_OK,
    AWAITING_TUNE_OK,
    AWAITING_OPEN,
    OPEN,
    CLOSING,
    CLOSED;

    boolean canMoveTo(ConnectionState next) {
        return switch (this) {
            case AWAITING_START_OK -> next == AWAITING_TUNE_OK || next == CLOSING || next == CLOSED;
            case AWAITING_TUNE_OK -> next == AWAITING_OPEN || next == CLOSING || next == CLOSED;
            case AWAITING_OPEN -> next == OPEN || next == CLOSING || next == CLOSED;
            case OPEN -> next == CLOSING || next == CLOSED;
            case CLOSING -> next == CLOSED;
            case CLOSED -> false;
        };
    }
}
