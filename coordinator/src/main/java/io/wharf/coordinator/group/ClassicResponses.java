package io.wharf.coordinator.group;

import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/** The JoinGroup and SyncGroup answers of the classic protocol, built from a group's recorded generation. */
final class ClassicResponses {

    private ClassicResponses() {}

    /** A JoinGroup refused with {@code error}. */
    static JoinGroupResponseData joinError(Errors error, String memberId) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setMemberId(memberId)
                .setGenerationId(-1)
                .setLeader("")
                .setProtocolName(null);
    }

    /** What a member learns of {@code group}'s generation; the leader, {@code withMembers}, everyone's metadata. */
    static JoinGroupResponseData joinResponse(ClassicGroup group, ClassicMember member, boolean withMembers) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setGenerationId(group.generationId)
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setLeader(group.leaderId)
                .setMemberId(member.memberId())
                .setSkipAssignment(false);
        if (withMembers && member.memberId().equals(group.leaderId)) {
            for (ClassicMember each : group.members.values()) {
                response.members()
                        .add(new JoinGroupResponseData.JoinGroupResponseMember()
                                .setMemberId(each.memberId())
                                .setGroupInstanceId(each.instanceId())
                                .setMetadata(each.metadata(group.protocolName)));
            }
        }
        return response;
    }

    /** A SyncGroup refused with {@code error}. */
    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    /** {@code member}'s assignment in {@code group}'s generation. */
    static SyncGroupResponseData synced(ClassicGroup group, ClassicMember member) {
        return new SyncGroupResponseData()
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setAssignment(member.assignment());
    }
}
