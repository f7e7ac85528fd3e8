package io.wharf.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.ManualTimer;
import io.wharf.coordinator.runtime.MemoryWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The share coordinator as a store: it keeps what leaders write, and it refuses, writing nothing, a write from a
 * leader that is out of date: one of an earlier leader epoch than the last read or write (a stale leader after
 * failover), one of another state epoch (written before a reset), or one for a share-partition that was deleted.
 * Initializing is idempotent, a reset replaces the state in a new state epoch, and a summary counts done records.
 */
class ShareCoordinatorFencingTest {

    private final MemoryWriter writer = new MemoryWriter();
    private final ShareCoordinator coordinator =
            new ShareCoordinator(1, writer, Runnable::run, new ManualTimer(new ManualClock(0)), 1L << 30);
    private final SharePartitionKey key = new SharePartitionKey("g", TopicId.random(), 0);

    {
        coordinator.loadAll().join();
    }

    private static Errors errorOf(CompletableFuture<?> future) {
        return ShareCoordinator.errorFor(catchThrowable(future::join));
    }

    private static ShareStateWrite write(int stateEpoch, int leaderEpoch, StateRun... runs) {
        return new ShareStateWrite(stateEpoch, leaderEpoch, -1, List.of(runs));
    }

    @Test
    void aStaleLeadersWriteIsFencedOnceANewLeaderRead() {
        coordinator.initialize(key, 0, 10).join();
        assertThat(coordinator.read(key, 3).join().orElseThrow())
                .isEqualTo(new PersistedShareState(0, 3, 10, List.of()));
        StateRun acquired = new StateRun(10, 11, SlotState.acquired(1, "m", 5_000));
        coordinator.write(key, write(0, 3, acquired)).join();

        assertThat(coordinator.read(key, 4).join().orElseThrow().runs())
                .as("the new leader reads what the old one wrote")
                .containsExactly(acquired);
        int records = writer.records(0).size();

        StateRun acknowledged = new StateRun(10, 11, SlotState.acknowledged(1));
        assertThat(errorOf(coordinator.write(key, write(0, 3, acknowledged)))).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(errorOf(coordinator.read(key, 3))).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(writer.records(0)).as("refusals write nothing").hasSize(records);

        coordinator.write(key, write(0, 4, acknowledged)).join();
        assertThat(coordinator.summary(key).join().orElseThrow())
                .as("the new leader's acknowledgement moved the start offset")
                .isEqualTo(new ShareStateSummary(0, 4, 12, 0));
    }

    @Test
    void aResetStartsANewStateEpochThatFencesEarlierWrites() {
        coordinator.initialize(key, 0, 0).join();
        coordinator.read(key, 1).join();
        coordinator
                .write(key, write(0, 1, new StateRun(0, 4, SlotState.acquired(1, "m", 9_000))))
                .join();

        coordinator.initialize(key, 0, 50).join();
        assertThat(coordinator.summary(key).join().orElseThrow().startOffset())
                .as("initializing in the same state epoch leaves the state")
                .isZero();

        coordinator.initialize(key, 1, 50).join();
        assertThat(coordinator.read(key, 1).join().orElseThrow())
                .as("a reset forgets every record state and keeps the leader epoch")
                .isEqualTo(new PersistedShareState(1, 1, 50, List.of()));
        assertThat(errorOf(coordinator.write(key, write(0, 1, new StateRun(0, 0, SlotState.acknowledged(1))))))
                .isEqualTo(Errors.FENCED_STATE_EPOCH);
        assertThat(errorOf(coordinator.read(key, 0)))
                .as("a leader older than the last one stays fenced after the reset")
                .isEqualTo(Errors.FENCED_LEADER_EPOCH);
    }

    @Test
    void aDeletedSharePartitionReadsAsMissingAndRefusesWrites() {
        coordinator.initialize(key, 0, 0).join();
        coordinator.delete(key).join();
        assertThat(coordinator.read(key, 0).join()).isEmpty();
        assertThat(coordinator.summary(key).join()).isEmpty();
        assertThat(errorOf(coordinator.write(key, write(0, 0, new StateRun(0, 0, SlotState.acknowledged(1))))))
                .isEqualTo(Errors.FENCED_STATE_EPOCH);
        coordinator.delete(key).join();
    }

    @Test
    void aSummaryCountsTheDoneRecordsAfterTheStartOffset() {
        coordinator.initialize(key, 0, 0).join();
        coordinator.read(key, 0).join();
        coordinator
                .write(
                        key,
                        write(
                                0,
                                0,
                                new StateRun(0, 1, SlotState.acquired(1, "m", 1)),
                                new StateRun(2, 3, SlotState.acknowledged(1)),
                                new StateRun(4, 4, SlotState.archived(2, ArchiveCause.REJECTED, false))))
                .join();
        assertThat(coordinator.summary(key).join().orElseThrow()).isEqualTo(new ShareStateSummary(0, 0, 0, 3));
    }

    @Test
    void aRequestForAPartitionNotServedHereIsNotCoordinator() {
        coordinator.unload(0).join();
        assertThat(errorOf(coordinator.read(key, 0))).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(errorOf(coordinator.initialize(key, 0, 0))).isEqualTo(Errors.NOT_COORDINATOR);
    }
}
