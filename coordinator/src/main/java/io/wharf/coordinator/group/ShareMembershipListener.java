package io.wharf.coordinator.group;

/** Told when a share group loses a member, once the change is durable, so its share sessions and locks can go. */
@FunctionalInterface
public interface ShareMembershipListener {

    /**
     * @param graceful the member left (heartbeat with epoch -1); false when its session expired
     */
    void onMemberRemoved(String groupId, String memberId, boolean graceful);
}
