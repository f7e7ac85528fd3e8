package io.wharf.server.share;

import io.wharf.common.TopicId;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.server.group.CoordinatorManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Who the members of a share group are and what each was assigned, as a share-partition leader needs it: a share
 * session opens only for a member, records are acquired only from its assigned partitions. The group coordinator
 * knows. Thread-safe.
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

    private final CoordinatorManager<GroupCoordinator> groups;

    public ShareMembership(CoordinatorManager<GroupCoordinator> groups) {
        this.groups = groups;
    }

    /**
     * What the group coordinator says of {@code memberId}.
     *
     * @param fresh whether an answer remembered from before will not do (a session opens, or its partitions
     *     changed)
     */
    public CompletableFuture<Member> member(String groupId, String memberId, boolean fresh) {
        return groups.coordinator()
                .thenApply(coordinator -> coordinator.isShareMember(groupId, memberId)
                        ? new Member(Status.MEMBER, coordinator.shareAssignment(groupId, memberId))
                        : Member.NOT_MEMBER)
                .exceptionally(failure -> Member.UNKNOWN);
    }
}
