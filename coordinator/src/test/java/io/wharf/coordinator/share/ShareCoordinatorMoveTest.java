package io.wharf.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The share coordinator's partition moves away and back, as when leadership of its {@code __share_group_state}
 * partition moves: while it is away a leader's writes are refused NOT_COORDINATOR and the leader lets the
 * share-partition go (no lock runs out, nothing is written), and once it is back the leader reads the same state,
 * its locks and their deadlines included.
 */
class ShareCoordinatorMoveTest {

    private final ShareFixture fixture = new ShareFixture();

    @Test
    void whileTheStateIsAwayNothingChangesAndItComesBackWhole() {
        fixture.append(5);
        assertThat(fixture.fetch("a", 3).acquired()).containsExactly(new AcquiredRecords(0, 2, 1));

        fixture.coordinator.unload(0).join();

        Throwable refused = catchThrowable(() -> fixture.fetch("b", 10));
        assertThat(ShareCoordinator.errorFor(refused)).isEqualTo(Errors.NOT_COORDINATOR);
        int written = fixture.writer.records(0).size();
        fixture.advance(10_000);
        assertThat(fixture.writer.records(0))
                .as("no timer of the share-partition wrote anything while its state was away")
                .hasSize(written);

        fixture.coordinator.load(0).join();

        assertThat(fixture.fetch("b", 10).acquired())
                .as("a's locks came back with the state")
                .containsExactly(new AcquiredRecords(3, 4, 1));
        fixture.advance(20_001);
        assertThat(fixture.fetch("c", 10).acquired())
                .as("a's locks (taken 30 s ago) ran out and the leader's timer released them; b's did not")
                .containsExactly(new AcquiredRecords(0, 2, 2));
        assertThat(fixture.startOffset()).isZero();
    }
}
