package io.wharf.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.coordinator.share.ArchiveCause;
import io.wharf.coordinator.share.RecordState;
import io.wharf.coordinator.share.SlotState;
import io.wharf.coordinator.share.StateRun;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.Test;

/**
 * State batches of the share-group state RPCs byte by byte, as {@link ShareStateMessages} draws them: Kafka's fields,
 * then Wharf's record extension as a tagged field, which carries what Kafka keeps only in memory (a held record's
 * holder and lock deadline, an archive cause) so that a new share-partition leader continues exactly where the old
 * one was. Brokers of different versions read each other's batches, so a change here is a change of the protocol.
 */
class ShareStateMessagesTest {

    private static final short VERSION = ApiKeys.WRITE_SHARE_GROUP_STATE.latestVersion(false);

    private static String hex(String... parts) {
        return String.join("", parts).replace(" ", "");
    }

    private static String bytesOf(WriteShareGroupStateRequestData.StateBatch batch) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        batch.addSize(size, cache, VERSION);
        ByteBuffer buffer = ByteBuffer.allocate(size.totalSize());
        batch.write(new ByteBufferAccessor(buffer), cache, VERSION);
        return HexFormat.of().formatHex(buffer.array());
    }

    private static WriteShareGroupStateRequestData.StateBatch parse(String hex) {
        return new WriteShareGroupStateRequestData.StateBatch(
                new ByteBufferAccessor(ByteBuffer.wrap(HexFormat.of().parseHex(hex))), VERSION);
    }

    @Test
    void anAcquiredRunCarriesItsHolderAndLockDeadlineInTheExtension() {
        StateRun run = new StateRun(100, 101, new SlotState(RecordState.ACQUIRED, 2, ArchiveCause.NONE, "m", 5_000));
        String bytes = hex(
                "0000000000000064", // int64 FirstOffset 100
                "0000000000000065", // int64 LastOffset 101
                "01", // int8 DeliveryState 1: ACQUIRED
                "0002", // int16 DeliveryCount 2
                "01", // unsigned varint: one tagged field
                "c8ae01", // unsigned varint tag 22344: Wharf's record extension
                "0d", // unsigned varint size 13
                "00", //   int8 extension version 0
                "00", //   int8 archive cause code 0: NONE
                "0001 6d", //   string holder "m"
                "0000000000001388"); //   int64 lock deadline 5000

        assertThat(bytesOf(ShareStateMessages.writeBatch(run))).isEqualTo(bytes);
        assertThat(ShareStateMessages.run(parse(bytes))).isEqualTo(run);
    }

    @Test
    void anArchivingRunCarriesItsCause() {
        StateRun run =
                new StateRun(7, 7, new SlotState(RecordState.ARCHIVING, 5, ArchiveCause.DELIVERY_LIMIT, null, -1));
        String bytes = hex(
                "0000000000000007", // int64 FirstOffset 7
                "0000000000000007", // int64 LastOffset 7
                "03", // int8 DeliveryState 3: ARCHIVING
                "0005", // int16 DeliveryCount 5
                "01", // one tagged field
                "c8ae01", // tag 22344
                "0c", // size 12
                "00", //   version 0
                "02", //   archive cause code 2: DELIVERY_LIMIT
                "ffff", //   no holder
                "ffffffffffffffff"); //   no lock deadline

        assertThat(bytesOf(ShareStateMessages.writeBatch(run))).isEqualTo(bytes);
        assertThat(ShareStateMessages.run(parse(bytes))).isEqualTo(run);
    }

    @Test
    void whatKafkaAlsoKeepsNeedsNoExtension() {
        StateRun run = new StateRun(3, 9, new SlotState(RecordState.ACKNOWLEDGED, 1, ArchiveCause.NONE, null, -1));
        String bytes = hex("0000000000000003", "0000000000000009", "02", "0001", "00");

        assertThat(bytesOf(ShareStateMessages.writeBatch(run))).isEqualTo(bytes);
        assertThat(ShareStateMessages.run(parse(bytes))).isEqualTo(run);
    }

    @Test
    void anAcquiredRunWithoutTheExtensionHasNoLockAndNoHolder() {
        StateRun run = ShareStateMessages.run(parse(hex("0000000000000003", "0000000000000003", "01", "0001", "00")));
        assertThat(run.slot()).isEqualTo(new SlotState(RecordState.ACQUIRED, 1, ArchiveCause.NONE, null, -1));
    }

    @Test
    void readAndWriteBatchesCarryTheSame() {
        StateRun run =
                new StateRun(0, 4, new SlotState(RecordState.ACQUIRED, 1, ArchiveCause.NONE, "member-1", 123_456));
        ReadShareGroupStateResponseData.StateBatch read = ShareStateMessages.readBatch(run);
        assertThat(ShareStateMessages.run(read)).isEqualTo(run);
        assertThat(read.unknownTaggedFields())
                .isEqualTo(ShareStateMessages.writeBatch(run).unknownTaggedFields());
    }

    @Test
    void codesAndExtensionsWharfCannotReadAreRefused() {
        assertThatThrownBy(() ->
                        ShareStateMessages.run(parse(hex("0000000000000003", "0000000000000003", "05", "0001", "00"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record state code 5");
        WriteShareGroupStateRequestData.StateBatch future = new WriteShareGroupStateRequestData.StateBatch()
                .setFirstOffset(1)
                .setLastOffset(1)
                .setDeliveryState((byte) 0)
                .setDeliveryCount((short) 0);
        future.unknownTaggedFields().add(new RawTaggedField(ShareStateMessages.EXTENSION_TAG, new byte[] {1, 0}));
        assertThatThrownBy(() -> ShareStateMessages.run(future))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extension version 1");
        assertThatThrownBy(() ->
                        ShareStateMessages.run(parse(hex("0000000000000009", "0000000000000003", "00", "0001", "00"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a range");
    }
}
