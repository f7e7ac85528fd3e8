package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import java.util.List;
import java.util.Map;

/** A member of a share group: what it subscribes to and the assignment it was last given, with that epoch. */
final class ShareMember {

    final String memberId;
    int memberEpoch;
    int previousMemberEpoch;
    String rackId;
    String clientId;
    String clientHost;
    List<String> subscribedTopicNames = List.of();
    Map<TopicId, List<Integer>> assigned = Map.of();

    ShareMember(String memberId) {
        this.memberId = memberId;
    }

    ShareMember copy() {
        ShareMember copy = new ShareMember(memberId);
        copy.memberEpoch = memberEpoch;
        copy.previousMemberEpoch = previousMemberEpoch;
        copy.rackId = rackId;
        copy.clientId = clientId;
        copy.clientHost = clientHost;
        copy.subscribedTopicNames = subscribedTopicNames;
        copy.assigned = assigned;
        return copy;
    }

    GroupRecords.ShareMemberValue value() {
        return new GroupRecords.ShareMemberValue(
                memberEpoch, previousMemberEpoch, rackId, clientId, clientHost, subscribedTopicNames, assigned);
    }

    static ShareMember of(String memberId, GroupRecords.ShareMemberValue value) {
        ShareMember member = new ShareMember(memberId);
        member.memberEpoch = value.memberEpoch();
        member.previousMemberEpoch = value.previousMemberEpoch();
        member.rackId = value.rackId();
        member.clientId = value.clientId();
        member.clientHost = value.clientHost();
        member.subscribedTopicNames = List.copyOf(value.subscribedTopicNames());
        member.assigned = value.assigned();
        return member;
    }
}
