package io.wharf.coordinator.share;

import io.wharf.common.TopicId;
import io.wharf.common.io.Bytes;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of {@code __share_group_state}, Wharf's own format in the vocabulary of {@link Bytes} (big-endian
 * integers; a string is an int16 byte length, -1 for null, then UTF-8). A key names one share-partition; a value
 * starts with its version. Replaying the records in order rebuilds the durable state of every share-partition.
 *
 * <pre>
 * key      int16 type, string group, int64 topic id (most significant half), int64 topic id (least significant
 *          half), int32 partition, and for type 2 only: int32 slot
 * value    int16 version (1), int32 state epoch, int32 leader epoch, int64 start offset, int32 run count, runs
 * value v0 int16 version (0), int64 start offset, int32 run count, runs          (read as state epoch 0, leader
 *          epoch -1; no longer written)
 * run      int64 first offset, int64 last offset, int8 state code, int16 delivery count, int8 archive cause code,
 *          and only when the state is ACQUIRED: string holder (member id), int64 lock deadline (ms since the epoch)
 *
 * type 0   state: the whole state (offsets from the start offset on that no run names are untouched);
 *          a null value (tombstone) deletes the share-partition
 * type 1   update without a slot: as type 2; read, no longer written (its key is the same for every update of a
 *          share-partition, so compaction would keep only the last)
 * type 2   update: what changed; start offset -1 leaves it where it is; the epochs are the share-partition's
 *          from then on. The slot is how many updates the share-partition had since its last state record
 *          (0, 1, 2, ... below share.coordinator.snapshot.update.records.per.snapshot); a null value (tombstone)
 *          deletes the slot
 *
 * state codes (RecordState)     0 AVAILABLE, 1 ACQUIRED, 2 ACKNOWLEDGED, 3 ARCHIVING, 4 ARCHIVED
 * cause codes (ArchiveCause)    0 NONE, 1 REJECTED, 2 DELIVERY_LIMIT, 3 EXPIRED, 4 GAP
 * </pre>
 *
 * <p>The state epoch counts the share-partition's resets (AlterShareGroupOffsets starts a new one); the leader epoch
 * is that of the data partition's leader that last read or wrote the state. Both fence writes: the coordinator
 * refuses a write from an earlier state epoch or an earlier leader epoch, so a leader that lost its partition cannot
 * overwrite what its successor does.
 *
 * <p>Runs are in ascending offset order and do not overlap. A code that names no state or cause is refused when the
 * record is read, so a record from a later version is never taken for something else.
 *
 * <p>The partition is compacted. Updates are deltas, so each keeps its own key until a later one takes its slot,
 * which happens only after the next state record of its share-partition: compaction keeps the latest state record
 * and every update written after it, and what it removes (a state record replaced by a later one, an update whose
 * slot was taken after a later state record) only ever preceded a state record that replaces it on replay. A
 * share-partition therefore takes at most one state record and one update per slot once cleaned. An update whose
 * slot is not the next one expected is one whose state record was cleaned away, and is skipped on replay.
 */
final class ShareRecords {

    static final int STATE = 0;
    static final int LEGACY_UPDATE = 1;
    static final int UPDATE = 2;

    /** The slot of a key that has none (types 0 and 1). */
    static final int NO_SLOT = -1;

    private static final int VERSION = 1;
    private static final int VERSION_WITHOUT_EPOCHS = 0;

    private ShareRecords() {}

    /** A decoded key; {@code slot} is {@link #NO_SLOT} but for updates. */
    record Key(int type, SharePartitionKey partition, int slot) {}

    /**
     * A decoded value: the epochs, a start offset (-1 for "unchanged" in updates) and runs in ascending order.
     */
    record Value(int stateEpoch, int leaderEpoch, long startOffset, List<StateRun> runs) {}

    static Key key(byte[] bytes) {
        Bytes.Reader in = new Bytes.Reader(bytes);
        int type = in.int16();
        if (type != STATE && type != LEGACY_UPDATE && type != UPDATE) {
            throw new IllegalArgumentException("unknown share record type " + type);
        }
        String group = in.string();
        TopicId topic = new TopicId(in.int64(), in.int64());
        SharePartitionKey partition = new SharePartitionKey(group, topic, in.int32());
        int slot = NO_SLOT;
        if (type == UPDATE) {
            slot = in.int32();
            if (slot < 0) {
                throw new IllegalArgumentException("share update slot " + slot + " is negative");
            }
        }
        return new Key(type, partition, slot);
    }

    private static Bytes.Writer keyWriter(int type, SharePartitionKey partition) {
        return new Bytes.Writer()
                .int16(type)
                .string(partition.groupId())
                .int64(partition.topicId().mostSignificantBits())
                .int64(partition.topicId().leastSignificantBits())
                .int32(partition.partition());
    }

    private static byte[] keyBytes(int type, SharePartitionKey partition) {
        return keyWriter(type, partition).toArray();
    }

    private static byte[] updateKeyBytes(SharePartitionKey partition, int slot) {
        return keyWriter(UPDATE, partition).int32(slot).toArray();
    }

    static CoordinatorRecord state(SharePartitionKey partition, Value value) {
        return new CoordinatorRecord(keyBytes(STATE, partition), valueBytes(value));
    }

    /** Deletes the share-partition: its next use starts from {@code share.auto.offset.reset}. */
    static CoordinatorRecord delete(SharePartitionKey partition) {
        return new CoordinatorRecord(keyBytes(STATE, partition), null);
    }

    /** An update in {@code slot}: the share-partition's {@code slot}th update since its last state record. */
    static CoordinatorRecord update(SharePartitionKey partition, int slot, Value value) {
        return new CoordinatorRecord(updateKeyBytes(partition, slot), valueBytes(value));
    }

    /** Deletes an update slot, so that compaction can drop it with the share-partition. */
    static CoordinatorRecord deleteUpdate(SharePartitionKey partition, int slot) {
        return new CoordinatorRecord(updateKeyBytes(partition, slot), null);
    }

    /** An update of the layout before slots; only tests write it, to check that it is still read. */
    static CoordinatorRecord legacyUpdate(SharePartitionKey partition, Value value) {
        return new CoordinatorRecord(keyBytes(LEGACY_UPDATE, partition), valueBytes(value));
    }

    private static byte[] valueBytes(Value value) {
        Bytes.Writer out = new Bytes.Writer()
                .int16(VERSION)
                .int32(value.stateEpoch())
                .int32(value.leaderEpoch())
                .int64(value.startOffset())
                .int32(value.runs().size());
        for (StateRun run : value.runs()) {
            SlotState slot = run.slot();
            out.int64(run.first())
                    .int64(run.last())
                    .int8(slot.state().code())
                    .int16(slot.deliveries())
                    .int8(slot.cause().code());
            if (slot.state() == RecordState.ACQUIRED) {
                out.string(slot.holder()).int64(slot.lockUntilMs());
            }
        }
        return out.toArray();
    }

    static Value value(byte[] bytes) {
        Bytes.Reader in = new Bytes.Reader(bytes);
        int version = in.int16();
        if (version != VERSION && version != VERSION_WITHOUT_EPOCHS) {
            throw new IllegalArgumentException("unknown share record value version " + version);
        }
        int stateEpoch = version == VERSION ? in.int32() : 0;
        int leaderEpoch = version == VERSION ? in.int32() : -1;
        long startOffset = in.int64();
        int count = in.count();
        List<StateRun> runs = new ArrayList<>(count);
        long previousLast = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long first = in.int64();
            long last = in.int64();
            if (first > last || first <= previousLast || first < 0) {
                throw new IllegalArgumentException("share record run " + first + ".." + last + " is out of order");
            }
            previousLast = last;
            RecordState state = RecordState.ofCode(in.int8());
            int deliveries = in.int16();
            ArchiveCause cause = ArchiveCause.ofCode(in.int8());
            String holder = null;
            long lockUntil = -1;
            if (state == RecordState.ACQUIRED) {
                holder = in.string();
                lockUntil = in.int64();
            }
            runs.add(new StateRun(first, last, new SlotState(state, deliveries, cause, holder, lockUntil)));
        }
        return new Value(stateEpoch, leaderEpoch, startOffset, runs);
    }
}
