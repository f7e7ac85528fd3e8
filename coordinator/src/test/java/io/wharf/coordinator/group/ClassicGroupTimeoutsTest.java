package io.wharf.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Session and rebalance timeouts of classic groups, driven by a manual clock: no sleeping. */
class ClassicGroupTimeoutsTest {

    private static final GroupConfig CONFIG = new GroupConfig(
            1_000, 60_000, 0, 100, 45_000, 5_000, List.of("uniform", "range"), 4096, 1 << 20, 1_000_000);

    private final CoordinatorFixture fixture = new CoordinatorFixture(CONFIG);

    private JoinGroupRequestData join(String memberId) {
        JoinGroupRequestData request = new JoinGroupRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setSessionTimeoutMs(5_000)
                .setRebalanceTimeoutMs(10_000)
                .setProtocolType("consumer");
        request.protocols()
                .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range")
                        .setMetadata(new byte[] {1}));
        return request;
    }

    private String newMemberId() {
        JoinGroupResponseData response =
                fixture.coordinator.joinGroup(join(""), (short) 9, "c", "/h").join();
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return response.memberId();
    }

    private Errors heartbeat(String memberId, int generation) {
        return Errors.forCode(fixture.coordinator
                .heartbeat(new HeartbeatRequestData()
                        .setGroupId("g")
                        .setMemberId(memberId)
                        .setGenerationId(generation))
                .join()
                .errorCode());
    }

    private void sync(String memberId, int generation) {
        fixture.coordinator.syncGroup(new SyncGroupRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setGenerationId(generation)
                .setAssignments(List.of()));
    }

    private String state() {
        DescribeGroupsResponseData.DescribedGroup group =
                fixture.coordinator.describeGroup("g", (short) 5).join();
        return group.groupState();
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSession() {
        String a = newMemberId();
        String b = newMemberId();
        CompletableFuture<JoinGroupResponseData> joinA = fixture.coordinator.joinGroup(join(a), (short) 9, "c", "/h");
        CompletableFuture<JoinGroupResponseData> joinB = fixture.coordinator.joinGroup(join(b), (short) 9, "c", "/h");
        assertThat(joinA).isDone();
        int generation = joinB.join().generationId();
        String leader = joinA.join().leader();
        sync(a, generation);
        sync(b, generation);
        assertThat(state()).isEqualTo("Stable");

        for (int i = 0; i < 2; i++) {
            fixture.advance(2_000);
            assertThat(heartbeat(a, generation)).isEqualTo(Errors.NONE);
        }
        assertThat(state()).as("4 s of silence is within b's session").isEqualTo("Stable");
        fixture.advance(2_000);
        assertThat(state()).as("b missed its 5 s session").isEqualTo("PreparingRebalance");
        assertThat(heartbeat(a, generation)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(heartbeat(b, generation)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        JoinGroupResponseData rejoined =
                fixture.coordinator.joinGroup(join(a), (short) 9, "c", "/h").join();
        assertThat(rejoined.generationId()).isEqualTo(generation + 1);
        assertThat(rejoined.leader()).isEqualTo(a);
        assertThat(rejoined.members())
                .extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactly(a);
        assertThat(leader).isIn(a, b);
    }

    @Test
    void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsDropped() {
        String a = newMemberId();
        JoinGroupResponseData first =
                fixture.coordinator.joinGroup(join(a), (short) 9, "c", "/h").join();
        sync(a, first.generationId());
        fixture.advance(1_000);
        assertThat(heartbeat(a, first.generationId())).isEqualTo(Errors.NONE);

        String b = newMemberId();
        CompletableFuture<JoinGroupResponseData> joinB = fixture.coordinator.joinGroup(join(b), (short) 9, "c", "/h");
        assertThat(joinB).as("waits for a to rejoin").isNotDone();

        fixture.advance(10_001);

        assertThat(joinB).isDone();
        assertThat(joinB.join().generationId()).isEqualTo(first.generationId() + 1);
        assertThat(joinB.join().leader()).isEqualTo(b);
        assertThat(heartbeat(a, first.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aHandedOutMemberIdThatNeverComesBackExpires() {
        String pending = newMemberId();
        String a = newMemberId();
        CompletableFuture<JoinGroupResponseData> joinA = fixture.coordinator.joinGroup(join(a), (short) 9, "c", "/h");
        assertThat(joinA).as("the other member id is still expected").isNotDone();

        fixture.advance(5_001);

        assertThat(joinA).isDone();
        assertThat(joinA.join().members()).hasSize(1);
        assertThat(pending).isNotEqualTo(a);
    }
}
