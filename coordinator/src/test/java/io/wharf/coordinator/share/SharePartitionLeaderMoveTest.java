package io.wharf.coordinator.share;

import static io.wharf.coordinator.share.ShareFixture.ack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Leadership of the data partition moves to another broker: the new leader reads the share-partition from the share
 * coordinator in its later leader epoch and carries on with every lock, holder and delivery count, and the old
 * leader, which still thinks it leads, can no longer write: its next write is fenced and changes nothing.
 */
class SharePartitionLeaderMoveTest {

    private final ShareFixture fixture = new ShareFixture();

    @Test
    void theNewLeaderCarriesOnAndTheOldOneIsFenced() {
        fixture.append(6);
        SharePartitionManager old = fixture.leaders;
        assertThat(fixture.fetch("a", 2).acquired()).containsExactly(new AcquiredRecords(0, 1, 1));
        assertThat(fixture.fetch("b", 2).acquired()).containsExactly(new AcquiredRecords(2, 3, 1));

        // Another broker leads the partition in epoch 1; the old leader has not heard of it yet.
        SharePartitionManager successor = fixture.leaders(fixture.coordinator);
        fixture.leaderEpoch = 1;
        fixture.leaders = successor;
        assertThat(fixture.fetch("a", 0, ack(0, 0, AcknowledgeType.ACCEPT)).ackError())
                .as("a still holds what it acquired from the old leader")
                .isEqualTo(Errors.NONE);
        assertThat(fixture.fetch("c", 10).acquired())
                .as("the new leader hands out only what nobody holds")
                .containsExactly(new AcquiredRecords(4, 5, 1));
        int written = fixture.writer.records(0).size();

        fixture.leaderEpoch = 0;
        Throwable fenced = catchThrowable(() -> old.fetch(new FetchCommand(
                        fixture.key(), "b", List.of(ack(2, 3, AcknowledgeType.ACCEPT)), true, 0, Long.MAX_VALUE, false))
                .join());
        assertThat(ShareCoordinator.errorFor(fenced)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(fixture.writer.records(0))
                .as("the fenced write changed nothing")
                .hasSize(written);

        fixture.leaderEpoch = 1;
        fixture.advance(30_001);
        assertThat(fixture.fetch("c", 10).acquired())
                .as("locks taken under the old leader run out when they would have, counted as deliveries")
                .containsExactly(new AcquiredRecords(1, 5, 2));
    }
}
