package io.wharf.metadata;

/** An append or a controller request reached a node that does not lead the metadata quorum (in that epoch). */
public final class NotLeaderException extends RuntimeException {

    private final int leaderHint;

    public NotLeaderException(String message, int leaderHint) {
        super(message, null, false, false);
        this.leaderHint = leaderHint;
    }

    /** The leader this node knows of, or -1. */
    public int leaderHint() {
        return leaderHint;
    }
}
