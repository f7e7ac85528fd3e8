package io.wharf.server.handler.share;

import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.share.Acknowledgement;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.GroupConfigs;
import io.wharf.server.handler.Topics;
import io.wharf.server.share.ShareRounds;
import io.wharf.server.share.ShareSessions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** What the share fetch and acknowledge handlers share: coordinators, sessions, acknowledgements, response parts. */
final class ShareRequests {

    /** A partition that ShareFetch and ShareAcknowledge name, with its acknowledgement batches. */
    record WirePartition(Uuid topicId, int partition, List<Acknowledgement> acknowledgements) {}

    private ShareRequests() {}

    /** Why a request's group or member is unusable, or null. */
    static String problem(String groupId, String memberId) {
        if (groupId == null || groupId.isEmpty()) {
            return "GroupId can't be empty.";
        }
        if (memberId == null || memberId.isEmpty()) {
            return "MemberId can't be empty.";
        }
        return null;
    }

    /**
     * Runs {@code call} once the group coordinator is up (creating its topic if needed); when it cannot come up,
     * answers with {@code unavailable}.
     */
    static <T> CompletableFuture<T> withGroups(
            BrokerServices services, Function<GroupCoordinator, CompletableFuture<T>> call, Supplier<T> unavailable) {
        return services.groups().coordinator().thenCompose(call).exceptionally(failure -> unavailable.get());
    }

    static ShareSessions.SessionPartition sessionPartition(Uuid topicId, int partition) {
        return new ShareSessions.SessionPartition(Topics.fromKafka(topicId), partition);
    }

    /** The acknowledgements of a request, by partition, for those that have any. */
    static Map<ShareSessions.SessionPartition, List<Acknowledgement>> acknowledgements(List<WirePartition> partitions) {
        Map<ShareSessions.SessionPartition, List<Acknowledgement>> acks = new LinkedHashMap<>();
        for (WirePartition partition : partitions) {
            if (!partition.acknowledgements().isEmpty()) {
                acks.computeIfAbsent(
                                sessionPartition(partition.topicId(), partition.partition()), p -> new ArrayList<>())
                        .addAll(partition.acknowledgements());
            }
        }
        return acks;
    }

    static Acknowledgement acknowledgement(long firstOffset, long lastOffset, List<Byte> types) {
        byte[] bytes = new byte[types.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = types.get(i);
        }
        return new Acknowledgement(firstOffset, lastOffset, bytes);
    }

    /** The group's record lock duration, which both responses report. */
    static int lockDurationMs(BrokerServices services, String groupId) {
        return GroupConfigs.shareConfig(services.config(), services.replicas().image(), groupId)
                .lockDurationMs();
    }

    /**
     * The session a request continues (or closes, at epoch -1), with the partitions it adds and forgets; an
     * acknowledgement never opens one (epoch 0 is INVALID_SHARE_SESSION_EPOCH for it).
     */
    static ShareSessions.Outcome continueSession(
            BrokerServices services,
            ShareSessions.Key key,
            int epoch,
            List<ShareSessions.SessionPartition> added,
            List<ShareSessions.SessionPartition> forgotten) {
        if (epoch == -1) {
            return services.shareSessions().contains(key)
                    ? new ShareSessions.Outcome(Errors.NONE, null, new ShareSessions.Snapshot(List.of(), 0, false))
                    : new ShareSessions.Outcome(
                            Errors.SHARE_SESSION_NOT_FOUND, "No share session for member " + key.memberId(), null);
        }
        if (epoch <= 0) {
            return new ShareSessions.Outcome(
                    Errors.INVALID_SHARE_SESSION_EPOCH, "Share session epoch " + epoch + " continues no session", null);
        }
        return services.shareSessions().next(key, epoch, added, forgotten);
    }

    /** Closes a session at epoch -1, giving back what its member still holds here. */
    static CompletableFuture<Void> closeSession(BrokerServices services, ShareSessions.Key key) {
        services.shareSessions().close(key);
        return services.sharePartitions().releaseMember(key.groupId(), key.memberId(), true);
    }

    /**
     * Runs {@code work} once the group coordinator is up and {@code groupId} is a share group without members, as a
     * share group's offsets may be changed only then; otherwise answers {@code error} with INVALID_REQUEST (no group
     * id), GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP or COORDINATOR_NOT_AVAILABLE.
     */
    static CompletableFuture<ApiMessage> onEmptyShareGroup(
            BrokerServices services,
            String groupId,
            BiFunction<Errors, String, ApiMessage> error,
            Supplier<CompletableFuture<ApiMessage>> work) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(error.apply(Errors.INVALID_REQUEST, "GroupId can't be empty."));
        }
        return withGroups(
                services,
                groups -> groups.shareGroupSize(groupId).thenCompose(size -> {
                    if (size < 0) {
                        return CompletableFuture.completedFuture(
                                error.apply(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a share group."));
                    }
                    if (size > 0) {
                        return CompletableFuture.completedFuture(error.apply(
                                Errors.NON_EMPTY_GROUP,
                                "Group " + groupId + " has members; offsets change only while it has none."));
                    }
                    return work.get();
                }),
                () -> error.apply(Errors.COORDINATOR_NOT_AVAILABLE, "The coordinators are not available"));
    }

    /** Completes with {@code response} once every future of {@code done} has, failed or not. */
    static CompletableFuture<ApiMessage> allDone(List<CompletableFuture<Void>> done, ApiMessage response) {
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }

    /** Whether a round's outcomes leave anything to tell the client about {@code outcome}'s partition. */
    static boolean worthReporting(ShareRounds.PartitionOutcome outcome, boolean acknowledged) {
        return acknowledged
                || outcome.error() != Errors.NONE
                || !outcome.acquired().isEmpty();
    }
}
