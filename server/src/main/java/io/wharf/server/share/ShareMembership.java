package io.wharf.server.share;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.share.ShareConfigs;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.handler.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Who the members of a share group are and what each was assigned, as a share-partition leader needs it: a share
 * session opens only for a member, records are acquired only from its assigned partitions, and the records of a
 * member that is gone are released. The group's coordinator knows: read in this process when this broker is it,
 * else asked with ShareGroupDescribe. A remote answer is remembered for the group's heartbeat interval (members learn
 * of a new assignment no faster) unless the caller wants a fresh one; an answer older than one already remembered is
 * dropped, so a slow answer cannot bring back a member that joined or left since.
 *
 * <p>Thread-safe.
 */
public final class ShareMembership {

    /** What the group coordinator says of one member. */
    public enum Status {
        MEMBER,
        NOT_MEMBER,
        /** The group coordinator could not be asked: the caller decides without it. */
        UNKNOWN
    }

    /** A member's standing and, for a member, its assignment by topic id. */
    public record Member(Status status, Map<TopicId, List<Integer>> assignment) {
        static final Member NOT_MEMBER = new Member(Status.NOT_MEMBER, Map.of());
        static final Member UNKNOWN = new Member(Status.UNKNOWN, Map.of());
    }

    /** A group's members as its coordinator described them, asked at {@code askedAtMs}. */
    private record View(long askedAtMs, Map<String, Map<TopicId, List<Integer>>> members) {}

    private final int nodeId;
    private final Supplier<MetadataImage> image;
    private final CoordinatorManager<GroupCoordinator> groups;
    private final InterBrokerClient brokers;
    private final ShareConfigs configs;
    private final Clock clock;
    private final Map<String, View> views = new ConcurrentHashMap<>();

    public ShareMembership(
            int nodeId,
            Supplier<MetadataImage> image,
            CoordinatorManager<GroupCoordinator> groups,
            InterBrokerClient brokers,
            ShareConfigs configs,
            Clock clock) {
        this.nodeId = nodeId;
        this.image = image;
        this.groups = groups;
        this.brokers = brokers;
        this.configs = configs;
        this.clock = clock;
    }

    /**
     * What the group coordinator says of {@code memberId}.
     *
     * @param fresh whether an answer remembered from before will not do (a session opens, or its partitions
     *     changed)
     */
    public CompletableFuture<Member> member(String groupId, String memberId, boolean fresh) {
        int coordinator = coordinatorOf(groupId);
        if (coordinator == nodeId) {
            return groups.coordinator()
                    .thenApply(local -> !local.isActive(groupId)
                            ? Member.UNKNOWN
                            : local.isShareMember(groupId, memberId)
                                    ? new Member(Status.MEMBER, local.shareAssignment(groupId, memberId))
                                    : Member.NOT_MEMBER)
                    .exceptionally(failure -> Member.UNKNOWN);
        }
        View known = views.get(groupId);
        long now = clock.nowMs();
        boolean stale =
                known == null || now - known.askedAtMs() >= configs.of(groupId).heartbeatIntervalMs();
        CompletableFuture<Optional<View>> view =
                fresh || stale ? describe(groupId, coordinator) : CompletableFuture.completedFuture(Optional.of(known));
        return view.thenApply(v -> v.map(members -> {
                    Map<TopicId, List<Integer>> assigned = members.members().get(memberId);
                    return assigned == null ? Member.NOT_MEMBER : new Member(Status.MEMBER, assigned);
                })
                .orElse(Member.UNKNOWN));
    }

    /**
     * The group's members now, asked of its coordinator after the call: empty when it could not be asked.
     */
    public CompletableFuture<Optional<Set<String>>> members(String groupId) {
        int coordinator = coordinatorOf(groupId);
        if (coordinator == nodeId) {
            return groups.coordinator()
                    .thenApply(local -> local.isActive(groupId)
                            ? Optional.of(local.shareMembers(groupId))
                            : Optional.<Set<String>>empty())
                    .exceptionally(failure -> Optional.empty());
        }
        return describe(groupId, coordinator)
                .thenApply(v -> v.map(members -> members.members().keySet()));
    }

    /** The broker that leads the group's partition of {@code __consumer_offsets}, or -1. */
    private int coordinatorOf(String groupId) {
        Optional<TopicImage> topic = image.get().topic(GroupCoordinator.TOPIC);
        if (topic.isEmpty()) {
            return nodeId;
        }
        PartitionImage partition = topic.get()
                .partitions()
                .get(GroupCoordinator.partitionFor(groupId, topic.get().partitionCount()));
        return partition == null ? -1 : partition.leader();
    }

    /** Asks the group's coordinator on another broker, remembering the answer unless a later one is known. */
    private CompletableFuture<Optional<View>> describe(String groupId, int coordinator) {
        if (coordinator < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long asked = clock.nowMs();
        ShareGroupDescribeRequestData request = new ShareGroupDescribeRequestData().setGroupIds(List.of(groupId));
        return brokers.<ShareGroupDescribeResponseData>send(coordinator, request)
                .thenApply(response -> view(response, asked))
                .exceptionally(failure -> Optional.empty())
                .thenApply(answer -> {
                    answer.ifPresent(
                            v -> views.merge(groupId, v, (old, now) -> now.askedAtMs() >= old.askedAtMs() ? now : old));
                    return answer.map(v -> views.getOrDefault(groupId, v));
                });
    }

    private static Optional<View> view(ShareGroupDescribeResponseData response, long askedAtMs) {
        if (response.groups().isEmpty()) {
            return Optional.empty();
        }
        ShareGroupDescribeResponseData.DescribedGroup group = response.groups().get(0);
        Errors error = Errors.forCode(group.errorCode());
        if (error == Errors.GROUP_ID_NOT_FOUND) {
            return Optional.of(new View(askedAtMs, Map.of()));
        }
        if (error != Errors.NONE) {
            return Optional.empty();
        }
        Map<String, Map<TopicId, List<Integer>>> members = new HashMap<>();
        for (ShareGroupDescribeResponseData.Member member : group.members()) {
            Map<TopicId, List<Integer>> assigned = new HashMap<>();
            member.assignment()
                    .topicPartitions()
                    .forEach(t -> assigned.put(Topics.fromKafka(t.topicId()), List.copyOf(t.partitions())));
            members.put(member.memberId(), Map.copyOf(assigned));
        }
        return Optional.of(new View(askedAtMs, Map.copyOf(members)));
    }
}
