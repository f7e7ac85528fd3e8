package io.wharf.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.coordinator.runtime.CoordinatorRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * {@code __share_group_state} under compaction: after any cleaning the log cleaner may do (every record with a later
 * record of its key removed, from the log start up to any offset, and tombstones removed), a load rebuilds exactly
 * the states the uncleaned log does, and a fully cleaned log holds at most one state record and
 * {@code updatesPerSnapshot} updates per share-partition.
 */
class ShareStateCompactionTest {

    private static final int UPDATES_PER_SNAPSHOT = 8;

    private final ShareFixture fixture = new ShareFixture(UPDATES_PER_SNAPSHOT);
    private final Random random = new Random(20261203L);

    /**
     * What the log cleaner does to the records before {@code end}: a record goes when a later record before
     * {@code end} has its key, and a tombstone before {@code end} goes too (its grace is over).
     */
    static List<CoordinatorRecord> clean(List<CoordinatorRecord> records, int end) {
        Map<ByteBuffer, Integer> last = new HashMap<>();
        for (int i = 0; i < end; i++) {
            last.put(ByteBuffer.wrap(records.get(i).key()), i);
        }
        List<CoordinatorRecord> kept = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            CoordinatorRecord record = records.get(i);
            boolean replaced = i < end && last.get(ByteBuffer.wrap(record.key())) > i;
            boolean tombstone = i < end && record.isTombstone();
            if (!replaced && !tombstone) {
                kept.add(record);
            }
        }
        return kept;
    }

    /** The states a load of {@code records} rebuilds, as whole-state records (one per share-partition). */
    private static Set<CoordinatorRecord> loaded(List<CoordinatorRecord> records) {
        ShareCoordinatorShard shard = new ShareCoordinatorShard(UPDATES_PER_SNAPSHOT);
        records.forEach(shard::replay);
        return new HashSet<>(shard.snapshot());
    }

    /** One operation of a consumer: a fetch acknowledging some of what it holds, or locks running out. */
    private void operate(Map<String, List<AcquiredRecords>> held) {
        if (random.nextInt(10) == 0) {
            fixture.append(1 + random.nextInt(6));
        }
        if (random.nextInt(25) == 0) {
            fixture.advance(31_000);
            held.clear();
            return;
        }
        String member = "m" + random.nextInt(3);
        List<Acknowledgement> acks = new ArrayList<>();
        for (AcquiredRecords records : held.getOrDefault(member, List.of())) {
            AcknowledgeType type = switch (random.nextInt(6)) {
                case 0 -> AcknowledgeType.RELEASE;
                case 1 -> AcknowledgeType.REJECT;
                default -> AcknowledgeType.ACCEPT;
            };
            acks.add(ShareFixture.ack(records.firstOffset(), records.lastOffset(), type));
        }
        FetchOutcome outcome = fixture.fetch(member, 1 + random.nextInt(4), acks.toArray(Acknowledgement[]::new));
        assertThat(outcome.error()).isEqualTo(Errors.NONE);
        held.put(member, outcome.acquired());
    }

    private List<CoordinatorRecord> log() {
        return fixture.writer.records(0);
    }

    @Test
    void everyCleaningOfTheLogLoadsTheSameStates() {
        Map<String, List<AcquiredRecords>> held = new HashMap<>();
        fixture.append(20);
        for (int i = 0; i < 600; i++) {
            operate(held);
        }
        List<CoordinatorRecord> full = List.copyOf(log());
        Set<CoordinatorRecord> expected = loaded(full);
        assertThat(expected).hasSize(1);
        assertThat(full.size()).as("many writes").isGreaterThan(200);
        assertThat(full.stream().filter(r -> ShareRecords.key(r.key()).type() == ShareRecords.STATE))
                .as("many whole states, each after the slots were used up")
                .hasSizeGreaterThan(20);

        for (int end = 0; end <= full.size(); end += 7) {
            assertThat(loaded(clean(full, end))).as("cleaned up to %d", end).isEqualTo(expected);
        }
        List<CoordinatorRecord> cleaned = clean(full, full.size());
        assertThat(loaded(cleaned)).isEqualTo(expected);
        assertThat(cleaned.size())
                .as("one state record and at most %d updates are left", UPDATES_PER_SNAPSHOT)
                .isBetween(1, 1 + UPDATES_PER_SNAPSHOT);
        assertThat(cleaned.stream().filter(r -> ShareRecords.key(r.key()).type() == ShareRecords.STATE))
                .as("the latest whole state; the updates are those after it and older ones in slots not taken since")
                .hasSize(1);
    }

    @Test
    void aCoordinatorLoadedFromACleanedLogGoesOnAsTheUncleanedOneWould() {
        Map<String, List<AcquiredRecords>> held = new HashMap<>();
        fixture.append(20);
        for (int i = 0; i < 300; i++) {
            operate(held);
        }
        ShareStateSummary before = fixture.summary();
        List<CoordinatorRecord> full = new ArrayList<>(log());
        List<CoordinatorRecord> cleaned = clean(full, full.size());
        log().clear();
        log().addAll(cleaned);

        fixture.restart();
        assertThat(fixture.summary()).isEqualTo(before);
        for (int round = 0; round < 3; round++) {
            int written = log().size();
            for (int i = 0; i < 200; i++) {
                operate(held);
            }
            // The uncleaned log with the same writes after it, against the cleaned one the coordinator now runs on.
            full.addAll(log().subList(written, log().size()));
            assertThat(loaded(log())).isEqualTo(loaded(full));
            List<CoordinatorRecord> again = clean(log(), log().size() - random.nextInt(5));
            log().clear();
            log().addAll(again);
            fixture.restart();
            assertThat(loaded(log())).isEqualTo(loaded(full));
        }
        assertThat(clean(log(), log().size()).size()).isLessThanOrEqualTo(1 + UPDATES_PER_SNAPSHOT);
    }

    @Test
    void aDeletedSharePartitionLeavesNothingOnceCleaned() {
        Map<String, List<AcquiredRecords>> held = new HashMap<>();
        fixture.append(20);
        for (int i = 0; i < 100; i++) {
            operate(held);
        }
        fixture.coordinator.delete(fixture.key()).join();

        List<CoordinatorRecord> cleaned = clean(log(), log().size());
        assertThat(cleaned).as("every slot and the state have a tombstone").isEmpty();
        assertThat(loaded(log())).isEmpty();
    }

    @Test
    void updatesWithoutASlotAreStillReplayed() {
        SharePartitionKey key = fixture.key();
        List<CoordinatorRecord> records = List.of(
                ShareRecords.state(key, new ShareRecords.Value(0, 1, 0, List.of())),
                ShareRecords.legacyUpdate(
                        key, new ShareRecords.Value(0, 2, -1, List.of(new StateRun(0, 1, SlotState.acknowledged(1))))),
                ShareRecords.legacyUpdate(
                        key, new ShareRecords.Value(0, 2, -1, List.of(new StateRun(3, 3, SlotState.acknowledged(1))))));
        ShareCoordinatorShard shard = new ShareCoordinatorShard(UPDATES_PER_SNAPSHOT);
        records.forEach(shard::replay);

        ShareStateSummary summary = shard.summary(key).orElseThrow();
        assertThat(summary.startOffset()).isEqualTo(2);
        assertThat(summary.leaderEpoch()).isEqualTo(2);
        PersistedShareState state = shard.read(key, 2).response().join().orElseThrow();
        assertThat(state.runs()).containsExactly(new StateRun(3, 3, SlotState.acknowledged(1)));
    }

    @Test
    void theWriteAfterTheLastSlotIsAWholeState() {
        SharePartitionKey key = fixture.key();
        ShareCoordinatorShard shard = new ShareCoordinatorShard(2);
        shard.replay(ShareRecords.state(key, new ShareRecords.Value(0, 1, 0, List.of())));
        List<Integer> types = new ArrayList<>();
        for (long offset = 0; offset < 4; offset++) {
            ShareStateWrite write =
                    new ShareStateWrite(0, 1, -1, List.of(new StateRun(offset, offset, SlotState.acknowledged(1))));
            CoordinatorRecord record = shard.write(key, write).records().get(0);
            ShareRecords.Key decoded = ShareRecords.key(record.key());
            types.add(decoded.type() == ShareRecords.STATE ? -1 : decoded.slot());
            shard.replay(record);
        }
        assertThat(types)
                .as("slots 0 and 1, then a state record, then slot 0 again")
                .containsExactly(0, 1, -1, 0);
        assertThat(shard.summary(key).orElseThrow().startOffset()).isEqualTo(4);
    }
}
