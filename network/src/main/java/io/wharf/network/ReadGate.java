package io.wharf.network;

import io.netty.channel.Channel;
import java.util.EnumSet;

/**
 * Decides whether a connection is read: it is read unless some reason to pause holds. Reasons are set and cleared
 * independently by the parts that own them. Event loop only.
 */
final class ReadGate {

    /** Why a connection is not being read. */
    enum Reason {
        /** Its unanswered requests reached the in-flight limit. */
        IN_FLIGHT,
        /** Its outbound buffer is full: the client reads responses slower than they are made. */
        UNWRITABLE,
        /** The request memory budget has no room for its next frame. */
        MEMORY
    }

    private final Channel channel;
    private final EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
    private Runnable onOpen = () -> {};

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    /**
     * What to run when the gate opens again: the frame decoder re-reads what it already buffered, since no new bytes
     * may ever arrive to wake it.
     */
    void onOpen(Runnable action) {
        this.onOpen = action;
    }

    void set(Reason reason, boolean paused) {
        boolean changed = paused ? reasons.add(reason) : reasons.remove(reason);
        if (changed) {
            channel.config().setAutoRead(reasons.isEmpty());
            if (reasons.isEmpty()) {
                onOpen.run();
            }
        }
    }

    boolean isOpen() {
        return reasons.isEmpty();
    }
}
