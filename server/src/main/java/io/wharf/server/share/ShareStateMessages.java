package io.wharf.server.share;

import io.wharf.common.io.Bytes;
import io.wharf.coordinator.share.ArchiveCause;
import io.wharf.coordinator.share.RecordState;
import io.wharf.coordinator.share.SlotState;
import io.wharf.coordinator.share.StateRun;
import java.util.List;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.protocol.types.RawTaggedField;

/**
 * Record states in the share-group state RPCs (WriteShareGroupState, ReadShareGroupState). A state batch carries
 * Kafka's fields, with the delivery state as Wharf's record state code (Kafka's 0 available, 2 acknowledged and 4
 * archived, and Wharf's 1 acquired and 3 archiving, which Kafka keeps in memory only), and, where Wharf keeps more
 * than Kafka does, one tagged field that a reader not knowing it skips (Kafka's way of extending a flexible message):
 *
 * <pre>
 * StateBatch       int64 FirstOffset, int64 LastOffset, int8 DeliveryState (record state code),
 *                  int16 DeliveryCount, tagged fields (unsigned varint count, then per field: unsigned varint tag,
 *                  unsigned varint size, bytes)
 * tag 22344        Wharf's record extension, present when the archive cause is not NONE or the record is held:
 *                    int8 version (0), int8 archive cause code,
 *                    string holder (int16 byte length, -1 for none, UTF-8), int64 lock deadline (ms, -1 for none)
 * </pre>
 *
 * A batch without the extension has no cause, holder or deadline: a record another writer sent as acquired has no
 * lock, so it is released at once. {@code ShareStateMessagesTest} pins these bytes.
 */
public final class ShareStateMessages {

    /** The tag of Wharf's record extension: far above the tags Kafka hands out one by one from 0. */
    static final int EXTENSION_TAG = 22344;

    private static final int EXTENSION_VERSION = 0;

    private ShareStateMessages() {}

    public static WriteShareGroupStateRequestData.StateBatch writeBatch(StateRun run) {
        WriteShareGroupStateRequestData.StateBatch batch = new WriteShareGroupStateRequestData.StateBatch()
                .setFirstOffset(run.first())
                .setLastOffset(run.last())
                .setDeliveryState((byte) run.slot().state().code())
                .setDeliveryCount(deliveryCount(run.slot()));
        addExtension(batch.unknownTaggedFields(), run.slot());
        return batch;
    }

    public static ReadShareGroupStateResponseData.StateBatch readBatch(StateRun run) {
        ReadShareGroupStateResponseData.StateBatch batch = new ReadShareGroupStateResponseData.StateBatch()
                .setFirstOffset(run.first())
                .setLastOffset(run.last())
                .setDeliveryState((byte) run.slot().state().code())
                .setDeliveryCount(deliveryCount(run.slot()));
        addExtension(batch.unknownTaggedFields(), run.slot());
        return batch;
    }

    public static StateRun run(WriteShareGroupStateRequestData.StateBatch batch) {
        return run(
                batch.firstOffset(),
                batch.lastOffset(),
                batch.deliveryState(),
                batch.deliveryCount(),
                batch.unknownTaggedFields());
    }

    public static StateRun run(ReadShareGroupStateResponseData.StateBatch batch) {
        return run(
                batch.firstOffset(),
                batch.lastOffset(),
                batch.deliveryState(),
                batch.deliveryCount(),
                batch.unknownTaggedFields());
    }

    private static short deliveryCount(SlotState slot) {
        return (short) Math.min(slot.deliveries(), Short.MAX_VALUE);
    }

    private static void addExtension(List<RawTaggedField> tagged, SlotState slot) {
        if (slot.cause() == ArchiveCause.NONE && slot.holder() == null && slot.lockUntilMs() == -1) {
            return;
        }
        byte[] bytes = new Bytes.Writer()
                .int8(EXTENSION_VERSION)
                .int8(slot.cause().code())
                .string(slot.holder())
                .int64(slot.lockUntilMs())
                .toArray();
        tagged.add(new RawTaggedField(EXTENSION_TAG, bytes));
    }

    /**
     * A run from a state batch's fields.
     *
     * @throws IllegalArgumentException for offsets out of order, an unknown record state or archive cause code, or
     *     an extension of an unknown version
     */
    private static StateRun run(
            long first, long last, byte deliveryState, short deliveryCount, List<RawTaggedField> tagged) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("state batch " + first + ".." + last + " is not a range");
        }
        RecordState state = RecordState.ofCode(deliveryState);
        ArchiveCause cause = ArchiveCause.NONE;
        String holder = null;
        long lockUntil = -1;
        for (RawTaggedField field : tagged) {
            if (field.tag() != EXTENSION_TAG) {
                continue;
            }
            Bytes.Reader in = new Bytes.Reader(field.data());
            int version = in.int8();
            if (version != EXTENSION_VERSION) {
                throw new IllegalArgumentException("unknown record extension version " + version);
            }
            cause = ArchiveCause.ofCode(in.int8());
            holder = in.string();
            lockUntil = in.int64();
        }
        return new StateRun(first, last, new SlotState(state, Math.max(0, deliveryCount), cause, holder, lockUntil));
    }
}
