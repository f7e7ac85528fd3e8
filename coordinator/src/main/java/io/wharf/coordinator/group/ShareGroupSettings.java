package io.wharf.coordinator.group;

import io.wharf.coordinator.share.ShareConfigs;
import io.wharf.coordinator.share.ShareGroupConfig;

/**
 * What the group coordinator needs for share groups.
 *
 * @param configs each group's settings (session timeout, heartbeat interval)
 * @param maxMembers the most members a share group may have ({@code group.share.max.size})
 * @param maxGroups the most share groups this coordinator keeps ({@code wharf.share.groups.max})
 * @param listener told when a member is removed
 */
public record ShareGroupSettings(
        ShareConfigs configs, int maxMembers, int maxGroups, ShareMembershipListener listener) {

    /** Kafka's defaults, no listener. */
    public static ShareGroupSettings defaults() {
        return new ShareGroupSettings(groupId -> ShareGroupConfig.defaults(), 200, 1_000, (g, m, graceful) -> {});
    }
}
