package io.wharf.server.share;

import io.wharf.common.TopicId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share sessions of this broker (KIP-932): per share group member, the partitions it fetches from here and the
 * epoch its next request must carry. Epoch 0 opens a session (replacing the member's old one), every later request
 * carries the next epoch (wrapping from {@code Integer.MAX_VALUE} to 1), and -1 closes it. A session also ends when
 * its connection closes or its member leaves the group.
 *
 * <p>At most {@code group.share.max.share.sessions} sessions; a session holds only partitions that exist. Thread-safe.
 */
public final class ShareSessions {

    /** The member a session belongs to. */
    public record Key(String groupId, String memberId) {}

    /** One topic partition of a session. */
    public record SessionPartition(TopicId topicId, int partition) {}

    /**
     * A session as a request sees it once its epoch was accepted: its partitions, its turn for fairness, and whether
     * the request changed its partitions (a client does when its assignment changed).
     */
    public record Snapshot(List<SessionPartition> partitions, int rotation, boolean changed) {}

    /** The outcome of a request's epoch: the session, or the error the request gets. */
    public record Outcome(Errors error, String message, Snapshot session) {
        static Outcome error(Errors error, String message) {
            return new Outcome(error, message, null);
        }
    }

    private static final class Session {
        final long connectionId;
        final Set<SessionPartition> partitions = new LinkedHashSet<>();
        int nextEpoch = 1;
        int rotation;

        Session(long connectionId) {
            this.connectionId = connectionId;
        }

        Snapshot snapshot(boolean changed) {
            return new Snapshot(List.copyOf(partitions), rotation++, changed);
        }
    }

    private final int maxSessions;
    private final Map<Key, Session> sessions = new HashMap<>();

    public ShareSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** Opens (or reopens) the member's session with {@code partitions}. */
    public synchronized Outcome open(Key key, long connectionId, Collection<SessionPartition> partitions) {
        if (!sessions.containsKey(key) && sessions.size() >= maxSessions) {
            return Outcome.error(
                    Errors.SHARE_SESSION_LIMIT_REACHED,
                    "This broker already has " + sessions.size() + " share sessions (group.share.max.share.sessions)");
        }
        Session session = new Session(connectionId);
        session.partitions.addAll(partitions);
        sessions.put(key, session);
        return new Outcome(Errors.NONE, null, session.snapshot(true));
    }

    /**
     * Accepts a request of an open session at {@code epoch}, adding and forgetting partitions.
     *
     * @return SHARE_SESSION_NOT_FOUND when there is no session, INVALID_SHARE_SESSION_EPOCH for a wrong epoch
     */
    public synchronized Outcome next(
            Key key, int epoch, Collection<SessionPartition> added, Collection<SessionPartition> forgotten) {
        Session session = sessions.get(key);
        if (session == null) {
            return Outcome.error(Errors.SHARE_SESSION_NOT_FOUND, "No share session for member " + key.memberId());
        }
        if (epoch != session.nextEpoch) {
            return Outcome.error(
                    Errors.INVALID_SHARE_SESSION_EPOCH,
                    "The share session epoch is " + session.nextEpoch + ", not " + epoch);
        }
        session.nextEpoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        boolean changed = session.partitions.removeAll(forgotten);
        changed |= session.partitions.addAll(added);
        return new Outcome(Errors.NONE, null, session.snapshot(changed));
    }

    /** Closes the member's session (epoch -1): SHARE_SESSION_NOT_FOUND when there is none. */
    public synchronized Errors close(Key key) {
        return sessions.remove(key) == null ? Errors.SHARE_SESSION_NOT_FOUND : Errors.NONE;
    }

    /** Whether the member has a session. */
    public synchronized boolean contains(Key key) {
        return sessions.containsKey(key);
    }

    /** Drops the sessions opened on a connection that is now closed. */
    public synchronized void connectionClosed(long connectionId) {
        sessions.values().removeIf(s -> s.connectionId == connectionId);
    }

    /** Drops the session of a member that left its group. */
    public synchronized void memberRemoved(String groupId, String memberId) {
        sessions.remove(new Key(groupId, memberId));
    }

    /** The members of {@code groupId} with a session here. */
    public synchronized Set<String> members(String groupId) {
        Set<String> members = new HashSet<>();
        sessions.keySet().forEach(k -> {
            if (k.groupId().equals(groupId)) {
                members.add(k.memberId());
            }
        });
        return members;
    }

    /** The groups with a session here. */
    public synchronized Set<String> groups() {
        Set<String> groups = new HashSet<>();
        sessions.keySet().forEach(k -> groups.add(k.groupId()));
        return groups;
    }

    public synchronized int size() {
        return sessions.size();
    }
}
