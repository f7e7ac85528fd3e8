package io.wharf.coordinator.group;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A share group (KIP-932): members that each get some partitions of their subscribed topics, partitions shared when
 * there are more members than partitions. The group epoch moves when membership, subscriptions or the subscribed
 * topics' partition counts change; a member learns its new assignment, and takes the group epoch as its own, on its
 * next heartbeat. There is no revocation step: records, not partitions, are what members hold exclusively. Changed
 * only by replay.
 */
final class ShareGroup {

    final String groupId;
    int groupEpoch;
    /** The partition counts (by topic name) the current epoch's assignment was computed from. */
    Map<String, Integer> partitionCounts = Map.of();

    final Map<String, ShareMember> members = new LinkedHashMap<>();

    ShareGroup(String groupId) {
        this.groupId = groupId;
    }

    /** The state Kafka's tools show. */
    String stateName() {
        return members.isEmpty() ? "Empty" : "Stable";
    }

    GroupRecords.ShareGroupValue value() {
        return new GroupRecords.ShareGroupValue(groupEpoch, partitionCounts);
    }
}
