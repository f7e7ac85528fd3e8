package io.wharf.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Static members (KIP-345): a restarted client with the same instance id takes its old place without a rebalance. */
class ClassicStaticMembershipTest {

    private static final GroupConfig CONFIG = new GroupConfig(
            1_000, 60_000, 0, 100, 45_000, 5_000, List.of("uniform", "range"), 4096, 1 << 20, 1_000_000);

    private final CoordinatorFixture fixture = new CoordinatorFixture(CONFIG);

    private static JoinGroupRequestData join(String instanceId, String memberId, byte metadata, String... protocols) {
        JoinGroupRequestData request = new JoinGroupRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(30_000)
                .setRebalanceTimeoutMs(30_000)
                .setProtocolType("consumer");
        for (String protocol : protocols) {
            request.protocols()
                    .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                            .setName(protocol)
                            .setMetadata(new byte[] {metadata}));
        }
        return request;
    }

    private CompletableFuture<JoinGroupResponseData> send(JoinGroupRequestData request) {
        return fixture.coordinator.joinGroup(request, (short) 9, "c", "/h");
    }

    private SyncGroupResponseData sync(JoinGroupResponseData joined, String instanceId, boolean leader) {
        SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId("g")
                .setMemberId(joined.memberId())
                .setGroupInstanceId(instanceId)
                .setGenerationId(joined.generationId());
        if (leader) {
            for (JoinGroupResponseData.JoinGroupResponseMember member : joined.members()) {
                request.assignments()
                        .add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(member.memberId())
                                .setAssignment(member.groupInstanceId().getBytes()));
            }
        }
        return fixture.coordinator.syncGroup(request).join();
    }

    private Errors heartbeat(JoinGroupResponseData joined, String instanceId) {
        return Errors.forCode(fixture.coordinator
                .heartbeat(new HeartbeatRequestData()
                        .setGroupId("g")
                        .setMemberId(joined.memberId())
                        .setGroupInstanceId(instanceId)
                        .setGenerationId(joined.generationId()))
                .join()
                .errorCode());
    }

    @Test
    void aRestartedStaticMemberWithNewMetadataKeepsItsAssignmentAndCausesNoRebalance() {
        JoinGroupResponseData firstA =
                send(join("a", "", (byte) 1, "range", "cooperative-sticky")).join();
        sync(firstA, "a", true);
        CompletableFuture<JoinGroupResponseData> b = send(join("b", "", (byte) 1, "range", "cooperative-sticky"));
        assertThat(heartbeat(firstA, "a")).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData joinedA = send(join("a", firstA.memberId(), (byte) 1, "range", "cooperative-sticky"))
                .join();
        JoinGroupResponseData joinedB = b.join();
        assertThat(joinedA.leader()).isEqualTo(joinedA.memberId());
        CompletableFuture<SyncGroupResponseData> follower = fixture.coordinator.syncGroup(new SyncGroupRequestData()
                .setGroupId("g")
                .setMemberId(joinedB.memberId())
                .setGroupInstanceId("b")
                .setGenerationId(joinedB.generationId()));
        sync(joinedA, "a", true);
        assertThat(new String(follower.join().assignment())).isEqualTo("b");

        CompletableFuture<JoinGroupResponseData> rejoining =
                send(join("a", "", (byte) 2, "range", "cooperative-sticky"));
        assertThat(rejoining).as("answered at once: no rebalance to wait for").isDone();
        JoinGroupResponseData restarted = rejoining.join();

        assertThat(Errors.forCode(restarted.errorCode())).isEqualTo(Errors.NONE);
        assertThat(restarted.memberId()).isNotEqualTo(joinedA.memberId());
        assertThat(restarted.generationId()).isEqualTo(joinedA.generationId());
        assertThat(heartbeat(joinedB, "b")).as("b sees no rebalance").isEqualTo(Errors.NONE);
        assertThat(new String(sync(restarted, "a", false).assignment())).isEqualTo("a");
        assertThat(heartbeat(joinedA, "a"))
                .as("the replaced member id is fenced")
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void aRestartedStaticMemberThatChangesTheGroupsProtocolCausesARebalance() {
        JoinGroupResponseData only = send(join("a", "", (byte) 1, "range")).join();
        sync(only, "a", true);

        CompletableFuture<JoinGroupResponseData> restarted = send(join("a", "", (byte) 1, "uniform", "range"));

        assertThat(restarted.join().generationId()).isEqualTo(only.generationId() + 1);
        assertThat(restarted.join().protocolName()).isEqualTo("uniform");
    }
}
