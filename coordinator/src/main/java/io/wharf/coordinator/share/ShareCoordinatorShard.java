package io.wharf.coordinator.share;

import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorShard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * <p>Every method runs on the shard's thread.
 */
final class ShareCoordinatorShard implements CoordinatorShard {

    /** One share-partition's durable state; the record states and start offset are a replay-only share-partition. */
    private static final class Stored {
        final int stateEpoch;
        final int leaderEpoch;
        final SharePartition partition;

        Stored(int stateEpoch, int leaderEpoch, SharePartition partition) {
            this.stateEpoch = stateEpoch;
            this.leaderEpoch = leaderEpoch;
            this.partition = partition;
        }

        PersistedShareState persisted(int leaderEpochAfter) {
            return new PersistedShareState(
                    stateEpoch, leaderEpochAfter, partition.startOffset(), partition.snapshotRuns());
        }
    }

    private final Map<SharePartitionKey, Stored> states = new HashMap<>();

    // ---- replay

    @Override
    public void replay(CoordinatorRecord record) {
        ShareRecords.Key key = ShareRecords.key(record.key());
        SharePartitionKey partitionKey = key.partition();
        if (key.type() == ShareRecords.STATE) {
            if (record.isTombstone()) {
                states.remove(partitionKey);
                return;
            }
            ShareRecords.Value value = ShareRecords.value(record.value());
            SharePartition partition = new SharePartition(partitionKey, value.startOffset());
            partition.replace(value.startOffset(), value.runs());
            states.put(partitionKey, new Stored(value.stateEpoch(), value.leaderEpoch(), partition));
            return;
        }
        Stored stored = states.get(partitionKey);
        if (stored != null && !record.isTombstone()) {
            ShareRecords.Value value = ShareRecords.value(record.value());
            stored.partition.update(value.startOffset(), value.runs());
            states.put(partitionKey, new Stored(value.stateEpoch(), value.leaderEpoch(), stored.partition));
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
        return CoordinatorResult.of(List.of(ShareRecords.update(key, bump)), state);
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
        return CoordinatorResult.of(List.of(ShareRecords.update(key, value)), null);
    }

    /** Deletes the share-partitions {@code which} selects: their next use starts from share.auto.offset.reset. */
    CoordinatorResult<Void> delete(Predicate<SharePartitionKey> which) {
        List<CoordinatorRecord> records =
                states.keySet().stream().filter(which).map(ShareRecords::delete).toList();
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
