package io.wharf.replication;

import java.util.EnumSet;
import java.util.Set;

/**
 * What this broker is for one partition.
 *
 * <pre>
 *               ┌───────────────────┐
 *               ▼                   │ new leader epoch
 *   NOT_HOSTED ──▶ LEADER ◀────────▶ FOLLOWER ◀─┐ new leader or epoch
 *        │           │  ▲              │  └─────┘
 *        └───────────┼──┼──────────────┘
 *                    ▼  │ new leader epoch
 *                 REMOVED ◀── (from any state: the partition is deleted or moved off this broker)
 * </pre>
 *
 * <p>A replica starts NOT_HOSTED (its log is open, the metadata has not given it a role yet) and ends REMOVED, after
 * which nothing may use it. LEADER takes appends and serves consumers and followers; FOLLOWER copies its leader and
 * refuses clients' writes.
 */
public enum ReplicaRole {
    NOT_HOSTED,
    LEADER,
    FOLLOWER,
    REMOVED;

    private Set<ReplicaRole> next() {
        return switch (this) {
            case NOT_HOSTED -> EnumSet.of(LEADER, FOLLOWER, REMOVED);
            case LEADER, FOLLOWER -> EnumSet.of(LEADER, FOLLOWER, REMOVED);
            case REMOVED -> EnumSet.noneOf(ReplicaRole.class);
        };
    }

    public boolean canMoveTo(ReplicaRole target) {
        return next().contains(target);
    }

    /**
     * @return {@code target}
     * @throws IllegalStateException when the transition is not one of those drawn above
     */
    public ReplicaRole moveTo(ReplicaRole target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("a replica cannot move from " + this + " to " + target);
        }
        return target;
    }
}
