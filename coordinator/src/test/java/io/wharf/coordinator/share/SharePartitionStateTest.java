package io.wharf.coordinator.share;

import static io.wharf.coordinator.share.ShareFixture.ack;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The share-partition state machine step by step on a manual clock: acquisition, locks that run out, the delivery
 * limit, acknowledgements and their refusals, and a restart that replays the records.
 */
class SharePartitionStateTest {

    private final ShareFixture fixture = new ShareFixture();

    private static List<AcquiredRecords> acquired(FetchOutcome outcome) {
        assertThat(outcome.error()).isEqualTo(Errors.NONE);
        return outcome.acquired();
    }

    @Test
    void aRecordIsHeldByOneMemberAtATimeAndAcceptedOnce() {
        fixture.append(10);
        assertThat(acquired(fixture.fetch("a", 4))).containsExactly(new AcquiredRecords(0, 3, 1));
        assertThat(acquired(fixture.fetch("b", 100))).containsExactly(new AcquiredRecords(4, 9, 1));
        assertThat(acquired(fixture.fetch("c", 100))).as("everything is locked").isEmpty();

        FetchOutcome accepted = fixture.fetch("a", 0, ack(0, 3, AcknowledgeType.ACCEPT));
        assertThat(accepted.ackError()).isEqualTo(Errors.NONE);
        assertThat(fixture.startOffset()).isEqualTo(4);

        fixture.advance(60_000);
        assertThat(acquired(fixture.fetch("c", 100)))
                .as("only b's records come back, once its lock ran out")
                .containsExactly(new AcquiredRecords(4, 9, 2));
    }

    @Test
    void theFetchSendsWholeBatchesCoveringWhatWasAcquired() {
        fixture.append(5);
        fixture.append(5);
        FetchOutcome outcome = fixture.fetch("a", 7);
        assertThat(outcome.acquired()).containsExactly(new AcquiredRecords(0, 6, 1));
        assertThat(outcome.batches())
                .containsExactly(
                        new BatchSpan(0, 4, ShareFixture.BATCH_BYTES), new BatchSpan(5, 9, ShareFixture.BATCH_BYTES));
    }

    @Test
    void alignedAcquisitionCompletesTheLastBatch() {
        fixture.append(5);
        fixture.append(5);
        FetchOutcome outcome = fixture.leaders
                .fetch(new FetchCommand(fixture.key(), "a", List.of(), false, 3, Long.MAX_VALUE, true))
                .join();
        assertThat(outcome.acquired()).containsExactly(new AcquiredRecords(0, 4, 1));
    }

    @Test
    void releaseMakesARecordAvailableAtOnceAndTheLimitArchivesIt() {
        fixture.append(1);
        for (int delivery = 1; delivery <= 3; delivery++) {
            assertThat(acquired(fixture.fetch("a", 1))).containsExactly(new AcquiredRecords(0, 0, delivery));
            assertThat(fixture.fetch("a", 0, ack(0, 0, AcknowledgeType.RELEASE)).ackError())
                    .isEqualTo(Errors.NONE);
        }
        assertThat(acquired(fixture.fetch("a", 1)))
                .as("delivered 3 times, the limit")
                .isEmpty();
        assertThat(fixture.startOffset()).isEqualTo(1);
        assertThat(fixture.deadLettered).as("no dead-letter topic is set").isEmpty();
    }

    @Test
    void aLockThatRunsOutCountsAsADeliveryUpToTheLimit() {
        fixture.config(withDeadLetters(fixture.configs.get(ShareFixture.GROUP)));
        fixture.append(1);
        for (int delivery = 1; delivery <= 3; delivery++) {
            assertThat(acquired(fixture.fetch("a", 1))).containsExactly(new AcquiredRecords(0, 0, delivery));
            fixture.advance(30_000);
        }
        assertThat(fixture.deadLettered)
                .containsExactly(List.of(new DeadLetters.Letter(0, 3, ArchiveCause.DELIVERY_LIMIT)));
        assertThat(fixture.startOffset())
                .as("archived once the copy is written")
                .isEqualTo(1);
    }

    @Test
    void rejectArchivesAtOnceAndDeadLettersWhenConfigured() {
        fixture.config(withDeadLetters(fixture.configs.get(ShareFixture.GROUP)));
        fixture.append(3);
        fixture.fetch("a", 3);
        FetchOutcome rejected = fixture.fetch("a", 0, new Acknowledgement(0, 2, new byte[] {
            AcknowledgeType.ACCEPT.id(), AcknowledgeType.REJECT.id(), AcknowledgeType.ACCEPT.id()
        }));
        assertThat(rejected.ackError()).isEqualTo(Errors.NONE);
        assertThat(fixture.deadLettered).containsExactly(List.of(new DeadLetters.Letter(1, 1, ArchiveCause.REJECTED)));
        assertThat(fixture.startOffset()).isEqualTo(3);
    }

    @Test
    void acknowledgingWhatIsNotHeldChangesNothing() {
        fixture.append(4);
        fixture.fetch("a", 2);
        fixture.fetch("b", 2);
        FetchOutcome wrongMember =
                fixture.fetch("a", 0, ack(0, 1, AcknowledgeType.ACCEPT), ack(2, 2, AcknowledgeType.ACCEPT));
        assertThat(wrongMember.ackError()).isEqualTo(Errors.INVALID_RECORD_STATE);
        assertThat(fixture.startOffset())
                .as("not even a's own offsets were accepted")
                .isZero();

        FetchOutcome pastTheEnd = fixture.fetch("a", 0, ack(0, Long.MAX_VALUE, AcknowledgeType.ACCEPT));
        assertThat(pastTheEnd.ackError()).isEqualTo(Errors.INVALID_RECORD_STATE);

        FetchOutcome overlapping =
                fixture.fetch("a", 0, ack(0, 1, AcknowledgeType.ACCEPT), ack(1, 1, AcknowledgeType.ACCEPT));
        assertThat(overlapping.ackError()).isEqualTo(Errors.INVALID_REQUEST);
        FetchOutcome unknownType = fixture.fetch("a", 0, new Acknowledgement(0, 1, new byte[] {9}));
        assertThat(unknownType.ackError()).isEqualTo(Errors.INVALID_REQUEST);
        FetchOutcome wrongTypeCount = fixture.fetch("a", 0, new Acknowledgement(0, 1, new byte[] {1, 1, 1}));
        assertThat(wrongTypeCount.ackError()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(fixture.startOffset()).isZero();

        assertThat(fixture.fetch("a", 0, ack(0, 1, AcknowledgeType.ACCEPT)).ackError())
                .isEqualTo(Errors.NONE);
        assertThat(fixture.startOffset()).isEqualTo(2);
    }

    @Test
    void renewExtendsTheLock() {
        fixture.append(1);
        fixture.fetch("a", 1);
        fixture.advance(20_000);
        assertThat(fixture.fetch("a", 0, ack(0, 0, AcknowledgeType.RENEW)).ackError())
                .isEqualTo(Errors.NONE);
        fixture.advance(20_000);
        assertThat(acquired(fixture.fetch("b", 1)))
                .as("40 s after acquisition, still renewed")
                .isEmpty();
        assertThat(fixture.fetch("a", 0, ack(0, 0, AcknowledgeType.ACCEPT)).ackError())
                .isEqualTo(Errors.NONE);
        assertThat(fixture.startOffset()).isEqualTo(1);
    }

    @Test
    void renewIsRefusedWhereTheRequestDoesNotAllowIt() {
        fixture.append(1);
        fixture.fetch("a", 1);
        FetchOutcome outcome = fixture.leaders
                .fetch(new FetchCommand(
                        fixture.key(), "a", List.of(ack(0, 0, AcknowledgeType.RENEW)), false, 0, Long.MAX_VALUE, false))
                .join();
        assertThat(outcome.ackError()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void delayedRecordsWaitUntilDueAndWakeWatchers() {
        long now = fixture.clock.nowMs();
        fixture.appendRecord(now + 10_000, -1, 0);
        fixture.append(1);
        AtomicInteger wakeups = new AtomicInteger();
        fixture.leaders.watch(fixture.key(), wakeups::incrementAndGet);
        assertThat(acquired(fixture.fetch("a", 10))).containsExactly(new AcquiredRecords(1, 1, 1));
        fixture.advance(9_999);
        assertThat(acquired(fixture.fetch("a", 10))).isEmpty();
        int before = wakeups.get();
        fixture.advance(1);
        assertThat(wakeups.get()).as("a watcher hears that the record came due").isGreaterThan(before);
        assertThat(acquired(fixture.fetch("a", 10))).containsExactly(new AcquiredRecords(0, 0, 1));
    }

    @Test
    void expiredRecordsAreArchivedNotDelivered() {
        fixture.config(withDeadLetters(fixture.configs.get(ShareFixture.GROUP)));
        long now = fixture.clock.nowMs();
        fixture.appendRecord(-1, now + 1_000, 0);
        fixture.append(1);
        fixture.advance(1_000);
        assertThat(acquired(fixture.fetch("a", 10))).containsExactly(new AcquiredRecords(1, 1, 1));
        assertThat(fixture.deadLettered).containsExactly(List.of(new DeadLetters.Letter(0, 0, ArchiveCause.EXPIRED)));
    }

    @Test
    void higherPriorityIsAcquiredFirstWithinTheWindow() {
        fixture.appendRecord(-1, -1, 0);
        fixture.appendRecord(-1, -1, 5);
        fixture.appendRecord(-1, -1, 9);
        fixture.appendRecord(-1, -1, 5);
        assertThat(acquired(fixture.fetch("a", 1))).containsExactly(new AcquiredRecords(2, 2, 1));
        assertThat(acquired(fixture.fetch("a", 1))).containsExactly(new AcquiredRecords(1, 1, 1));
        assertThat(acquired(fixture.fetch("a", 1))).containsExactly(new AcquiredRecords(3, 3, 1));
        assertThat(acquired(fixture.fetch("a", 1))).containsExactly(new AcquiredRecords(0, 0, 1));
    }

    @Test
    void theInFlightWindowBoundsWhatIsTracked() {
        fixture.append(150);
        assertThat(acquired(fixture.fetch("a", 1_000))).containsExactly(new AcquiredRecords(0, 99, 1));
        assertThat(acquired(fixture.fetch("b", 1_000))).as("the window is full").isEmpty();
        fixture.fetch("a", 0, ack(0, 9, AcknowledgeType.ACCEPT));
        assertThat(acquired(fixture.fetch("b", 1_000))).containsExactly(new AcquiredRecords(100, 109, 1));
    }

    @Test
    void aRestartKeepsAcknowledgementsLocksAndDeliveryCounts() {
        fixture.append(6);
        fixture.fetch("a", 4);
        fixture.fetch("a", 0, ack(0, 1, AcknowledgeType.ACCEPT), ack(2, 2, AcknowledgeType.RELEASE));

        fixture.restart();

        assertThat(fixture.startOffset()).isEqualTo(2);
        assertThat(fixture.fetch("a", 0, ack(3, 3, AcknowledgeType.ACCEPT)).ackError())
                .as("a still holds offset 3 after the restart")
                .isEqualTo(Errors.NONE);
        assertThat(acquired(fixture.fetch("b", 10)))
                .containsExactly(new AcquiredRecords(2, 2, 2), new AcquiredRecords(4, 5, 1));
        fixture.advance(30_000);
        assertThat(acquired(fixture.fetch("c", 10)))
                .as("locks taken before the restart still run out")
                .containsExactly(new AcquiredRecords(2, 2, 3), new AcquiredRecords(4, 5, 2));
    }

    @Test
    void aSnapshotRebuildsTheSameState() {
        fixture.append(5);
        fixture.fetch("a", 5);
        fixture.fetch("a", 0, ack(1, 1, AcknowledgeType.ACCEPT), ack(3, 3, AcknowledgeType.RELEASE));
        ShareCoordinatorShard shard = new ShareCoordinatorShard(ShareCoordinator.DEFAULT_UPDATES_PER_SNAPSHOT);
        fixture.writer.records(0).forEach(shard::replay);
        ShareCoordinatorShard copy = new ShareCoordinatorShard(ShareCoordinator.DEFAULT_UPDATES_PER_SNAPSHOT);
        shard.snapshot().forEach(copy::replay);
        PersistedShareState original =
                shard.read(fixture.key(), 0).response().join().orElseThrow();
        PersistedShareState rebuilt =
                copy.read(fixture.key(), 0).response().join().orElseThrow();
        assertThat(rebuilt).isEqualTo(original);
        assertThat(rebuilt.startOffset()).isZero();
        assertThat(rebuilt.runs()).hasSize(5);
    }

    @Test
    void aMemberThatLeavesGivesItsRecordsBack() {
        fixture.append(4);
        fixture.fetch("a", 2);
        fixture.fetch("b", 2);
        fixture.leaders.releaseMember(ShareFixture.GROUP, "a", false).join();
        assertThat(acquired(fixture.fetch("c", 10))).containsExactly(new AcquiredRecords(0, 1, 2));
        fixture.leaders.releaseMember(ShareFixture.GROUP, "b", true).join();
        assertThat(acquired(fixture.fetch("c", 10)))
                .as("a graceful close does not count as a delivery")
                .containsExactly(new AcquiredRecords(2, 3, 1));
    }

    @Test
    void theStartOffsetFollowsTheLogStartAndResets() {
        fixture.append(10);
        fixture.fetch("a", 2);
        fixture.logStart = 5;
        assertThat(acquired(fixture.fetch("b", 2))).containsExactly(new AcquiredRecords(5, 6, 1));
        assertThat(fixture.startOffset()).isEqualTo(5);
        fixture.reset(8);
        assertThat(acquired(fixture.fetch("b", 10))).containsExactly(new AcquiredRecords(8, 9, 1));
    }

    private static ShareGroupConfig withDeadLetters(ShareGroupConfig config) {
        return new ShareGroupConfig(
                config.sessionTimeoutMs(),
                config.heartbeatIntervalMs(),
                config.lockDurationMs(),
                config.deliveryCountLimit(),
                config.maxRecordLocks(),
                config.offsetReset(),
                "dlq.orders",
                config.readCommitted());
    }
}
