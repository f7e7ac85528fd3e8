package io.wharf.coordinator.share;

import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorShard;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share-partition states of one {@code __share_group_state} partition, as their leaders read and write them.
 * Each is kept with its state epoch (moved by a reset) and the leader epoch of the data partition's leader that last
 * read or wrote it, and both fence writes: a write from an earlier state epoch or an earlier leader epoch is refused
 * with nothing written, so a leader that lost its partition, or wrote before a reset, cannot overwrite newer state.
 *
 * <p>Every operation computes its records and its answer from the current state and changes nothing; the states
 * change only when the records are replayed. There is no soft state: the share-partition leaders keep the timers and
 * what they read of the data logs.
 *
 * <p>A write is an update record in the share-partition's next slot (see {@link ShareRecords}) until
 * {@code updatesPerSnapshot} slots are taken since its last state record; the write after that is a state record of
 * the whole state with the write applied, so that compaction keeps of each share-partition one state record and at
 * most {@code updatesPerSnapshot} updates. The next slot is one past the highest slot replayed since the last
 * state record, so a slot is taken again only after a state record that follows its previous use: what compaction
 * drops is always replaced by a later state record, and a load of the cleaned partition rebuilds the same states.
 *
 * <p>Every method runs on the shard's thread.
 */
final class ShareCoordinatorShard implements CoordinatorShard {

    /** One share-partition's durable state; the record states and start offset are a replay-only share-partition. */
    private static final class Stored {
        final int stateEpoch;
        final int leaderEpoch;
        final SharePartition partition;
        /** The slot of the next update: one past the highest replayed since the last state record. */
        final int nextSlot;

        Stored(int stateEpoch, int leaderEpoch, SharePartition partition, int nextSlot) {
            this.stateEpoch = stateEpoch;
            this.leaderEpoch = leaderEpoch;
            this.partition = partition;
            this.nextSlot = nextSlot;
        }

        PersistedShareState persisted(int leaderEpochAfter) {
            return new PersistedShareState(
                    stateEpoch, leaderEpochAfter, partition.startOffset(), partition.snapshotRuns());
        }
    }

    private final Map<SharePartitionKey, Stored> states = new HashMap<>();
    /**
     * One past the highest update slot any record of the share-partition has used, whether or not it exists now:
     * the slots its deletion writes tombstones for.
     */
    private final Map<SharePartitionKey, Integer> slotsWritten = new HashMap<>();

    private final int updatesPerSnapshot;

    /** @param updatesPerSnapshot updates a share-partition takes after a state record before the next one */
    ShareCoordinatorShard(int updatesPerSnapshot) {
        if (updatesPerSnapshot < 1) {
            throw new IllegalArgumentException("updatesPerSnapshot must be at least 1: " + updatesPerSnapshot);
        }
        this.updatesPerSnapshot = updatesPerSnapshot;
    }

    // ---- replay

    @Override
    public void replay(CoordinatorRecord record) {
        ShareRecords.Key key = ShareRecords.key(record.key());
        SharePartitionKey partitionKey = key.partition();
        if (key.type() == ShareRecords.STATE) {
            if (record.isTombstone()) {
                states.remove(partitionKey);
                slotsWritten.remove(partitionKey);
                return;
            }
            ShareRecords.Value value = ShareRecords.value(record.value());
            SharePartition partition = new SharePartition(partitionKey, value.startOffset());
            partition.replace(value.startOffset(), value.runs());
            states.put(partitionKey, new Stored(value.stateEpoch(), value.leaderEpoch(), partition, 0));
            return;
        }
        if (key.type() == ShareRecords.UPDATE) {
            slotsWritten.merge(partitionKey, key.slot() + 1, Math::max);
        }
        Stored stored = states.get(partitionKey);
        // An update of a share-partition that does not exist is one whose state record compaction or a deletion
        // removed; a later state record (or none) is what the share-partition is.
        if (stored != null && !record.isTombstone()) {
            ShareRecords.Value value = ShareRecords.value(record.value());
            stored.partition.update(value.startOffset(), value.runs());
            int nextSlot =
                    key.type() == ShareRecords.UPDATE ? Math.max(stored.nextSlot, key.slot() + 1) : stored.nextSlot + 1;
            states.put(partitionKey, new Stored(value.stateEpoch(), value.leaderEpoch(), stored.partition, nextSlot));
        }
    }

    @Override
    public List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> records = new ArrayList<>();
        states.forEach((key, stored) -> records.add(ShareRecords.state(
                key,
                new ShareRecords.Value(
                        stored.stateEpoch,
                        stored.leaderEpoch,
                        stored.partition.startOffset(),
                        stored.partition.snapshotRuns()))));
        return records;
    }

    // ---- operations

    private static <T> CoordinatorResult<T> refuse(Errors error, String message) {
        return CoordinatorResult.deferred(
                List.of(), CompletableFuture.failedFuture(new ShareStateException(error, message)), List.of());
    }

    /**
     * Creates the share-partition in {@code stateEpoch} at {@code startOffset}, or replaces one of an earlier state
     * epoch (a reset, which keeps the leader epoch so an old leader stays fenced); leaves one of that state epoch or
     * a later one as it is.
     */
    CoordinatorResult<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        if (startOffset < 0 || stateEpoch < 0) {
            return refuse(
                    Errors.INVALID_REQUEST,
                    "Cannot initialize " + key + " at offset " + startOffset + " in state epoch " + stateEpoch);
        }
        Stored stored = states.get(key);
        if (stored != null && stored.stateEpoch >= stateEpoch) {
            return CoordinatorResult.answer(null);
        }
        int leaderEpoch = stored == null ? -1 : stored.leaderEpoch;
        return CoordinatorResult.of(
                List.of(ShareRecords.state(
                        key, new ShareRecords.Value(stateEpoch, leaderEpoch, startOffset, List.of()))),
                null);
    }

    /**
     * The share-partition's state for the leader of its data partition in {@code leaderEpoch}, which from then on is
     * the earliest leader epoch whose writes are taken; an earlier one is FENCED_LEADER_EPOCH.
     */
    CoordinatorResult<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
        Stored stored = states.get(key);
        if (stored == null) {
            return CoordinatorResult.answer(Optional.empty());
        }
        if (leaderEpoch < stored.leaderEpoch) {
            return refuse(
                    Errors.FENCED_LEADER_EPOCH,
                    "Leader epoch " + leaderEpoch + " of " + key + " is older than " + stored.leaderEpoch);
        }
        Optional<PersistedShareState> state = Optional.of(stored.persisted(leaderEpoch));
        if (leaderEpoch == stored.leaderEpoch) {
            return CoordinatorResult.answer(state);
        }
        ShareRecords.Value bump = new ShareRecords.Value(stored.stateEpoch, leaderEpoch, -1, List.of());
        return CoordinatorResult.of(List.of(updateRecord(key, stored, bump)), state);
    }

    /** Stores what a leader's operation changed, unless the leader is fenced by either epoch. */
    CoordinatorResult<Void> write(SharePartitionKey key, ShareStateWrite write) {
        Stored stored = states.get(key);
        if (stored == null) {
            return refuse(Errors.FENCED_STATE_EPOCH, key + " does not exist (it was deleted): read it again");
        }
        if (write.stateEpoch() != stored.stateEpoch) {
            return refuse(
                    Errors.FENCED_STATE_EPOCH,
                    "State epoch " + write.stateEpoch() + " of " + key + " is not the current " + stored.stateEpoch);
        }
        if (write.leaderEpoch() < stored.leaderEpoch) {
            return refuse(
                    Errors.FENCED_LEADER_EPOCH,
                    "Leader epoch " + write.leaderEpoch() + " of " + key + " is older than " + stored.leaderEpoch);
        }
        if (write.runs().isEmpty() && write.startOffset() < 0 && write.leaderEpoch() == stored.leaderEpoch) {
            return CoordinatorResult.answer(null);
        }
        ShareRecords.Value value =
                new ShareRecords.Value(stored.stateEpoch, write.leaderEpoch(), write.startOffset(), write.runs());
        return CoordinatorResult.of(List.of(updateRecord(key, stored, value)), null);
    }

    /**
     * The record of an update: in the next slot, or once the slots since the last state record are used up, a state
     * record of the whole state with the update applied (computed on a copy, so nothing changes before replay).
     */
    private CoordinatorRecord updateRecord(SharePartitionKey key, Stored stored, ShareRecords.Value update) {
        if (stored.nextSlot < updatesPerSnapshot) {
            return ShareRecords.update(key, stored.nextSlot, update);
        }
        SharePartition after = new SharePartition(key, stored.partition.startOffset());
        after.replace(stored.partition.startOffset(), stored.partition.snapshotRuns());
        after.update(update.startOffset(), update.runs());
        return ShareRecords.state(
                key,
                new ShareRecords.Value(
                        update.stateEpoch(), update.leaderEpoch(), after.startOffset(), after.snapshotRuns()));
    }

    /**
     * Deletes the share-partitions {@code which} selects: their next use starts from share.auto.offset.reset. Each
     * update slot it ever used gets a tombstone too, before the state's, so that compaction drops them all.
     */
    CoordinatorResult<Void> delete(Predicate<SharePartitionKey> which) {
        Set<SharePartitionKey> keys = new TreeSet<>(Comparator.comparing(SharePartitionKey::toString));
        states.keySet().stream().filter(which).forEach(keys::add);
        slotsWritten.keySet().stream().filter(which).forEach(keys::add);
        List<CoordinatorRecord> records = new ArrayList<>();
        for (SharePartitionKey key : keys) {
            int slots = slotsWritten.getOrDefault(key, 0);
            for (int slot = 0; slot < slots; slot++) {
                records.add(ShareRecords.deleteUpdate(key, slot));
            }
            records.add(ShareRecords.delete(key));
        }
        return CoordinatorResult.of(records, null);
    }

    /** The share-partition's epochs, start offset and how many records from there on are done with. */
    Optional<ShareStateSummary> summary(SharePartitionKey key) {
        Stored stored = states.get(key);
        return stored == null
                ? Optional.empty()
                : Optional.of(new ShareStateSummary(
                        stored.stateEpoch,
                        stored.leaderEpoch,
                        stored.partition.startOffset(),
                        stored.partition.completedCount()));
    }
}
