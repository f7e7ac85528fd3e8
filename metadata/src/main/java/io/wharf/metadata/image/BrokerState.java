package io.wharf.metadata.image;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a broker's registration stands, with the code written to disk.
 *
 * <pre>
 *   (registration) ──▶ FENCED ──caught up with the metadata──▶ ACTIVE
 *                        ▲  ▲                                   │  │
 *                        │  └──────session expired──────────────┘  │ asked to shut down
 *                        └──shut down, or session expired── SHUTTING_DOWN ◀─┘
 * </pre>
 *
 * <p>Only an ACTIVE broker leads partitions, is given new replicas and is listed in Metadata responses. A
 * SHUTTING_DOWN broker is already out of placement and Metadata while it hands its leaderships over; FENCED is the
 * state of a registration whose process is dead, paused, cut off, or has not caught up yet.
 */
public enum BrokerState {
    FENCED(1),
    ACTIVE(2),
    SHUTTING_DOWN(3);

    private final int code;

    BrokerState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for a code no state has */
    public static BrokerState ofCode(int code) {
        for (BrokerState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown broker state " + code);
    }

    private Set<BrokerState> next() {
        return switch (this) {
            case FENCED -> EnumSet.of(ACTIVE);
            case ACTIVE -> EnumSet.of(FENCED, SHUTTING_DOWN);
            case SHUTTING_DOWN -> EnumSet.of(FENCED);
        };
    }

    public boolean canMoveTo(BrokerState target) {
        return next().contains(target);
    }

    /**
     * @return {@code target}
     * @throws IllegalStateException when the transition is not one of those drawn above
     */
    public BrokerState moveTo(BrokerState target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("a broker cannot move from " + this + " to " + target);
        }
        return target;
    }
}
