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
 * value    int16 version (0), int64 start offset, int32 run count, runs
 * run      int64 first offset, int64 last offset, int8 state code, int16 delivery count, int8 archive cause code,
 *          and only when the state is ACQUIRED: string holder (member id), int64 lock deadline (ms since the epoch)
 *
 * type 0   state: the whole state (offsets from the start offset on that no run names are untouched);
 *          a null value (tombstone) deletes the share-partition
 * type 1   update: what changed; start offset -1 leaves it where it is
 *
 * state codes (RecordState)     0 AVAILABLE, 1 ACQUIRED, 2 ACKNOWLEDGED, 3 ARCHIVING, 4 ARCHIVED
 * cause codes (ArchiveCause)    0 NONE, 1 REJECTED, 2 DELIVERY_LIMIT, 3 EXPIRED, 4 GAP
 * </pre>
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

    private static final int VERSION = 0;

    private ShareRecords() {}

    /** A decoded key. */
    record Key(int type, SharePartitionKey partition) {}

    /** A decoded value: a start offset (-1 for "unchanged" in updates) and runs in ascending order. */
    record Value(long startOffset, List<StateRun> runs) {}

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

    static CoordinatorRecord state(SharePartitionKey partition, long startOffset, List<StateRun> runs) {
        return new CoordinatorRecord(keyBytes(STATE, partition), value(startOffset, runs));
    }

    /** Deletes the share-partition: its next use starts from {@code share.auto.offset.reset}. */
    static CoordinatorRecord delete(SharePartitionKey partition) {
        return new CoordinatorRecord(keyBytes(STATE, partition), null);
    }

    static CoordinatorRecord update(SharePartitionKey partition, long startOffset, List<StateRun> runs) {
        return new CoordinatorRecord(keyBytes(UPDATE, partition), value(startOffset, runs));
    }

    private static byte[] value(long startOffset, List<StateRun> runs) {
        Bytes.Writer out = new Bytes.Writer().int16(VERSION).int64(startOffset).int32(runs.size());
        for (StateRun run : runs) {
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
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown share record value version " + version);
        }
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
        return new Value(startOffset, runs);
    }
}
