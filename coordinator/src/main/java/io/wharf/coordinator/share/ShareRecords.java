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
 *          half), int32 partition
 * value    int16 version (1), int32 state epoch, int32 leader epoch, int64 start offset, int32 run count, runs
 * value v0 int16 version (0), int64 start offset, int32 run count, runs          (read as state epoch 0, leader
 *          epoch -1; no longer written)
 * run      int64 first offset, int64 last offset, int8 state code, int16 delivery count, int8 archive cause code,
 *          and only when the state is ACQUIRED: string holder (member id), int64 lock deadline (ms since the epoch)
 *
 * type 0   state: the whole state (offsets from the start offset on that no run names are untouched);
 *          a null value (tombstone) deletes the share-partition
 * type 1   update: what changed; start offset -1 leaves it where it is; the epochs are the share-partition's
 *          from then on
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
 * <p>Updates are deltas, so the partition is not compaction-safe on its own; the coordinator runtime's snapshots
 * (whole states, then everything before them deleted) keep it small instead, and the topic is created with
 * {@code cleanup.policy=delete} and no retention.
 */
final class ShareRecords {

    static final int STATE = 0;
    static final int UPDATE = 1;

    private static final int VERSION = 1;
    private static final int VERSION_WITHOUT_EPOCHS = 0;

    private ShareRecords() {}

    /** A decoded key. */
    record Key(int type, SharePartitionKey partition) {}

    /**
     * A decoded value: the epochs, a start offset (-1 for "unchanged" in updates) and runs in ascending order.
     */
    record Value(int stateEpoch, int leaderEpoch, long startOffset, List<StateRun> runs) {}

    static Key key(byte[] bytes) {
        Bytes.Reader in = new Bytes.Reader(bytes);
        int type = in.int16();
        if (type != STATE && type != UPDATE) {
            throw new IllegalArgumentException("unknown share record type " + type);
        }
        String group = in.string();
        TopicId topic = new TopicId(in.int64(), in.int64());
        return new Key(type, new SharePartitionKey(group, topic, in.int32()));
    }

    private static byte[] keyBytes(int type, SharePartitionKey partition) {
        return new Bytes.Writer()
                .int16(type)
                .string(partition.groupId())
                .int64(partition.topicId().mostSignificantBits())
                .int64(partition.topicId().leastSignificantBits())
                .int32(partition.partition())
                .toArray();
    }

    static CoordinatorRecord state(SharePartitionKey partition, Value value) {
        return new CoordinatorRecord(keyBytes(STATE, partition), valueBytes(value));
    }

    /** Deletes the share-partition: its next use starts from {@code share.auto.offset.reset}. */
    static CoordinatorRecord delete(SharePartitionKey partition) {
        return new CoordinatorRecord(keyBytes(STATE, partition), null);
    }

    static CoordinatorRecord update(SharePartitionKey partition, Value value) {
        return new CoordinatorRecord(keyBytes(UPDATE, partition), valueBytes(value));
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
