package io.wharf.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A leader's view of its followers: how far each has fetched, when it last fetched, and when it was last caught up
 * (had fetched everything the leader had at the time of a fetch). The ISR's edges follow from it: a follower that has
 * not been caught up for {@code replica.lag.time.max.ms} leaves; one that has reached the high watermark and the
 * start of the current leader epoch may join.
 *
 * <p>Threads: guarded by the owning {@link PartitionReplica}'s lock.
 */
final class FollowerTracker {

    /** One follower. {@code position} is -1 until it has fetched in this leader epoch. */
    static final class Follower {
        long position = -1;
        long lastFetchMs;
        long lastCaughtUpMs;
        /** The leader's log end at this follower's previous fetch: reaching it counts as caught up. */
        long leaderEndAtLastFetch = -1;
    }

    private final Map<Integer, Follower> followers = new HashMap<>();

    /** A new leader epoch: every replica but the leader starts with no position, caught up as of now. */
    void reset(List<Integer> replicas, int self, long nowMs) {
        followers.clear();
        for (int replica : replicas) {
            if (replica != self) {
                Follower follower = new Follower();
                follower.lastFetchMs = nowMs;
                follower.lastCaughtUpMs = nowMs;
                followers.put(replica, follower);
            }
        }
    }

    /** Replicas added or removed without a new epoch (a reassignment): keep those still there. */
    void retain(List<Integer> replicas, int self, long nowMs) {
        followers.keySet().retainAll(replicas);
        for (int replica : replicas) {
            if (replica != self && !followers.containsKey(replica)) {
                Follower follower = new Follower();
                follower.lastFetchMs = nowMs;
                follower.lastCaughtUpMs = nowMs;
                followers.put(replica, follower);
            }
        }
    }

    /**
     * Records a fetch from {@code replica} at {@code position} while the leader's log ends at {@code leaderEnd}.
     *
     * @return false when the replica is not one of the partition's
     */
    boolean fetched(int replica, long position, long leaderEnd, long nowMs) {
        Follower follower = followers.get(replica);
        if (follower == null) {
            return false;
        }
        if (position >= leaderEnd
                || (follower.leaderEndAtLastFetch >= 0 && position >= follower.leaderEndAtLastFetch)) {
            follower.lastCaughtUpMs = nowMs;
        }
        follower.position = position;
        follower.lastFetchMs = nowMs;
        follower.leaderEndAtLastFetch = leaderEnd;
        return true;
    }

    /** How far {@code replica} has fetched in this epoch, or -1. */
    long position(int replica) {
        Follower follower = followers.get(replica);
        return follower == null ? -1 : follower.position;
    }

    Follower follower(int replica) {
        return followers.get(replica);
    }

    /** The members of {@code isr} (other than the leader) that have not been caught up for {@code lagMaxMs}. */
    List<Integer> laggards(List<Integer> isr, long nowMs, long lagMaxMs) {
        List<Integer> laggards = new ArrayList<>();
        for (int replica : isr) {
            Follower follower = followers.get(replica);
            if (follower != null && nowMs - follower.lastCaughtUpMs > lagMaxMs) {
                laggards.add(replica);
            }
        }
        return laggards;
    }
}
