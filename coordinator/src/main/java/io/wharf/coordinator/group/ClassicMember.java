package io.wharf.coordinator.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * A member of a classic group: what it told the coordinator when it joined (persisted with the group) and the
 * requests it has waiting for the rebalance to move on (soft state, lost on restart; the client retries).
 */
final class ClassicMember {

    String memberId;
    final String instanceId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<GroupRecords.Protocol> protocols;
    byte[] assignment = new byte[0];

    CompletableFuture<JoinGroupResponseData> awaitingJoin;
    CompletableFuture<SyncGroupResponseData> awaitingSync;

    ClassicMember(
            String memberId,
            String instanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            List<GroupRecords.Protocol> protocols) {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** The metadata this member gave for {@code protocol}, or null when it does not support it. */
    byte[] metadata(String protocol) {
        for (GroupRecords.Protocol candidate : protocols) {
            if (candidate.name().equals(protocol)) {
                return candidate.metadata();
            }
        }
        return null;
    }

    boolean sameProtocols(List<GroupRecords.Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !java.util.Arrays.equals(
                            other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    GroupRecords.ClassicMemberValue toValue() {
        return new GroupRecords.ClassicMemberValue(
                memberId,
                instanceId,
                clientId,
                clientHost,
                rebalanceTimeoutMs,
                sessionTimeoutMs,
                protocols,
                assignment);
    }
}
