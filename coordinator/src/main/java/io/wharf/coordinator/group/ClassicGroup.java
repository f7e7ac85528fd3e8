package io.wharf.coordinator.group;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A group under the classic protocol as its last record says: the generation, its protocol and leader, the state the
 * generation reached (Empty, CompletingRebalance or Stable) and the members with their assignments. Immutable: each
 * replayed record replaces it. A rebalance under way is soft state ({@link ClassicRebalance}), which
 * {@link ClassicGroupView} lays over this.
 */
final class ClassicGroup {

    final String groupId;
    final ClassicGroupState state;
    final int generationId;
    final String protocolType;
    final String protocolName;
    final String leaderId;
    final long stateTimestamp;
    /** By member id, in the order of the record. */
    final Map<String, ClassicMember> members;
    /** Member ids by group instance id, for the static members. */
    final Map<String, String> staticMembers;

    private final GroupRecords.ClassicGroupValue value;

    private ClassicGroup(String groupId, GroupRecords.ClassicGroupValue value) {
        this.groupId = groupId;
        this.value = value;
        this.state = value.state();
        this.generationId = value.generation();
        this.protocolType = value.protocolType();
        this.protocolName = value.protocol();
        this.leaderId = value.leader();
        this.stateTimestamp = value.stateTimestamp();
        Map<String, ClassicMember> byId = new LinkedHashMap<>();
        Map<String, String> byInstance = new HashMap<>();
        for (ClassicMember member : value.members()) {
            byId.put(member.memberId(), member);
            if (member.instanceId() != null) {
                byInstance.put(member.instanceId(), member.memberId());
            }
        }
        this.members = Collections.unmodifiableMap(byId);
        this.staticMembers = Collections.unmodifiableMap(byInstance);
    }

    static ClassicGroup of(String groupId, GroupRecords.ClassicGroupValue value) {
        return new ClassicGroup(groupId, value);
    }

    /** The group as its record holds it. */
    GroupRecords.ClassicGroupValue value() {
        return value;
    }
}
