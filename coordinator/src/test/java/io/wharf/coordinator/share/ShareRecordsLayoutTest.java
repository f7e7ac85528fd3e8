package io.wharf.coordinator.share;

import static io.wharf.coordinator.runtime.HexBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.HexBytes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records of {@code __share_group_state} byte by byte, as {@link ShareRecords} draws them: each type is written
 * to the documented bytes, and the documented bytes read back to the same record. What is on disk must stay readable
 * by every later version, so a change here is a change of the format.
 */
class ShareRecordsLayoutTest {

    private static final SharePartitionKey PARTITION =
            new SharePartitionKey("g", new TopicId(0x0102030405060708L, 0x1112131415161718L), 3);

    private static final List<StateRun> RUNS = List.of(
            new StateRun(100, 101, SlotState.acquired(2, "m", 5_000)),
            new StateRun(103, 103, SlotState.archived(5, ArchiveCause.DELIVERY_LIMIT, true)));

    private static byte[] key(String type) {
        return HexBytes.of(
                type, // int16 type
                "0001 67", // string group "g"
                "0102030405060708", // int64 topic id, most significant half
                "1112131415161718", // int64 topic id, least significant half
                "00000003"); // int32 partition 3
    }

    private static ShareRecords.Value update(List<StateRun> runs) {
        return new ShareRecords.Value(0, -1, -1, runs);
    }

    private static void assertLayout(CoordinatorRecord record, byte[] key, byte[] value) {
        assertThat(hex(record.key())).as("key").isEqualTo(hex(key));
        if (value == null) {
            assertThat(record.value()).as("a tombstone has no value").isNull();
        } else {
            assertThat(record.value()).as("value").isNotNull();
            assertThat(hex(record.value())).as("value").isEqualTo(hex(value));
        }
    }

    @Test
    void aState() {
        byte[] key = key("0000");
        byte[] value = HexBytes.of(
                "0001", // int16 version 1
                "00000007", // int32 state epoch 7
                "00000009", // int32 leader epoch 9
                "0000000000000064", // int64 start offset 100
                "00000002", // int32 run count 2
                "0000000000000064", //   int64 first offset 100
                "0000000000000065", //   int64 last offset 101
                "01", //   int8 state code 1: ACQUIRED
                "0002", //   int16 delivery count 2
                "00", //   int8 archive cause code 0: NONE
                "0001 6d", //   string holder "m" (ACQUIRED only)
                "0000000000001388", //   int64 lock deadline 5000 (ACQUIRED only)
                "0000000000000067", //   int64 first offset 103
                "0000000000000067", //   int64 last offset 103
                "03", //   int8 state code 3: ARCHIVING
                "0005", //   int16 delivery count 5
                "02"); //   int8 archive cause code 2: DELIVERY_LIMIT

        assertLayout(ShareRecords.state(PARTITION, new ShareRecords.Value(7, 9, 100, RUNS)), key, value);
        assertThat(ShareRecords.key(key))
                .isEqualTo(new ShareRecords.Key(ShareRecords.STATE, PARTITION, ShareRecords.NO_SLOT));
        assertThat(ShareRecords.value(value)).isEqualTo(new ShareRecords.Value(7, 9, 100, RUNS));
    }

    @Test
    void aVersionZeroValueIsReadInStateEpochZeroWithNoLeaderEpoch() {
        byte[] value = HexBytes.of(
                "0000", // int16 version 0: no epochs
                "0000000000000064", // int64 start offset 100
                "00000001", // int32 run count 1
                "0000000000000064", //   int64 first offset 100
                "0000000000000064", //   int64 last offset 100
                "02", //   int8 state code 2: ACKNOWLEDGED
                "0001", //   int16 delivery count 1
                "00"); //   int8 archive cause code 0: NONE

        assertThat(ShareRecords.value(value))
                .isEqualTo(
                        new ShareRecords.Value(0, -1, 100, List.of(new StateRun(100, 100, SlotState.acknowledged(1)))));
    }

    @Test
    void aDeletedSharePartitionIsAStateTombstone() {
        assertLayout(ShareRecords.delete(PARTITION), key("0000"), null);
    }

    @Test
    void anUpdateInItsSlot() {
        List<StateRun> runs = List.of(new StateRun(104, 106, SlotState.acknowledged(1)));
        byte[] key = HexBytes.of(
                "0002", // int16 type 2: update
                "0001 67", // string group "g"
                "0102030405060708", // int64 topic id, most significant half
                "1112131415161718", // int64 topic id, least significant half
                "00000003", // int32 partition 3
                "0000002a"); // int32 slot 42
        byte[] value = HexBytes.of(
                "0001", // int16 version 1
                "00000004", // int32 state epoch 4
                "00000006", // int32 leader epoch 6
                "ffffffffffffffff", // int64 start offset -1: unchanged
                "00000001", // int32 run count 1
                "0000000000000068", //   int64 first offset 104
                "000000000000006a", //   int64 last offset 106
                "02", //   int8 state code 2: ACKNOWLEDGED
                "0001", //   int16 delivery count 1
                "00"); //   int8 archive cause code 0: NONE

        assertLayout(ShareRecords.update(PARTITION, 42, new ShareRecords.Value(4, 6, -1, runs)), key, value);
        assertThat(ShareRecords.key(key)).isEqualTo(new ShareRecords.Key(ShareRecords.UPDATE, PARTITION, 42));
        assertThat(ShareRecords.value(value)).isEqualTo(new ShareRecords.Value(4, 6, -1, runs));
        assertLayout(ShareRecords.deleteUpdate(PARTITION, 42), key, null);
    }

    @Test
    void aDeletionIsATombstoneOfTheStateKey() {
        assertLayout(ShareRecords.delete(PARTITION), key("0000"), null);
    }

    @Test
    void aNegativeSlotIsRefused() {
        byte[] key = HexBytes.of("0002 0001 67 0102030405060708 1112131415161718 00000003 ffffffff");
        assertThatThrownBy(() -> ShareRecords.key(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot -1");
    }

    @Test
    void anUpdateWithoutASlotIsStillRead() {
        List<StateRun> runs = List.of(new StateRun(104, 106, SlotState.acknowledged(1)));
        byte[] key = key("0001");
        byte[] value = HexBytes.of(
                "0001", // int16 version 1
                "00000000", // int32 state epoch 0
                "ffffffff", // int32 leader epoch -1
                "ffffffffffffffff", // int64 start offset -1: unchanged
                "00000001", // int32 run count 1
                "0000000000000068", //   int64 first offset 104
                "000000000000006a", //   int64 last offset 106
                "02", //   int8 state code 2: ACKNOWLEDGED
                "0001", //   int16 delivery count 1
                "00"); //   int8 archive cause code 0: NONE

        assertLayout(ShareRecords.legacyUpdate(PARTITION, new ShareRecords.Value(0, -1, -1, runs)), key, value);
        assertThat(ShareRecords.key(key))
                .isEqualTo(new ShareRecords.Key(ShareRecords.LEGACY_UPDATE, PARTITION, ShareRecords.NO_SLOT));
        assertThat(ShareRecords.value(value)).isEqualTo(new ShareRecords.Value(0, -1, -1, runs));
    }

    @Test
    void everyStateAndCauseHasItsDocumentedCode() {
        assertThat(Arrays.stream(RecordState.values()).map(RecordState::code)).containsExactly(0, 1, 2, 3, 4);
        assertThat(Arrays.stream(ArchiveCause.values()).map(ArchiveCause::code)).containsExactly(0, 1, 2, 3, 4);
        int stateAt = 2 + 4 + 4 + 8 + 4 + 8 + 8;
        for (RecordState state : RecordState.values()) {
            SlotState slot = new SlotState(
                    state,
                    1,
                    ArchiveCause.GAP,
                    state == RecordState.ACQUIRED ? "m" : null,
                    state == RecordState.ACQUIRED ? 1 : -1);
            byte[] value = ShareRecords.update(PARTITION, 0, update(List.of(new StateRun(0, 0, slot))))
                    .value();
            assertThat(value[stateAt]).as("%s", state).isEqualTo((byte) state.code());
            assertThat(value[stateAt + 3]).as("cause of %s", state).isEqualTo((byte) ArchiveCause.GAP.code());
            assertThat(ShareRecords.value(value).runs().get(0).slot()).isEqualTo(slot);
        }
        for (ArchiveCause cause : ArchiveCause.values()) {
            assertThat(ArchiveCause.ofCode(cause.code())).isEqualTo(cause);
        }
    }

    @Test
    void aCodeThatNamesNoStateOrCauseIsRefused() {
        int stateAt = 2 + 4 + 4 + 8 + 4 + 8 + 8;
        byte[] badState = ShareRecords.update(PARTITION, 0, update(List.of(new StateRun(0, 0, SlotState.available(1)))))
                .value();
        badState[stateAt] = 5;
        assertThatThrownBy(() -> ShareRecords.value(badState))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record state code 5");
        byte[] badCause = ShareRecords.update(PARTITION, 0, update(List.of(new StateRun(0, 0, SlotState.available(1)))))
                .value();
        badCause[stateAt + 3] = 7;
        assertThatThrownBy(() -> ShareRecords.value(badCause))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archive cause code 7");
    }

    @Test
    void unknownTypesVersionsAndRunsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> ShareRecords.key(key("0003")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type 3");
        assertThatThrownBy(() -> ShareRecords.value(HexBytes.of("0002 00000000 00000000 0000000000000000 00000000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
        byte[] backwards = ShareRecords.update(
                        PARTITION,
                        0,
                        update(List.of(
                                new StateRun(5, 5, SlotState.available(1)),
                                new StateRun(3, 3, SlotState.available(1)))))
                .value();
        assertThatThrownBy(() -> ShareRecords.value(backwards))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of order");
    }

    @Test
    void everyTruncationIsRefused() {
        CoordinatorRecord record = ShareRecords.state(PARTITION, new ShareRecords.Value(7, 9, 100, RUNS));
        for (int length = 0; length < record.key().length; length++) {
            byte[] cut = Arrays.copyOf(record.key(), length);
            assertThatThrownBy(() -> ShareRecords.key(cut))
                    .as("key cut to %d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (int length = 0; length < record.value().length; length++) {
            byte[] cut = Arrays.copyOf(record.value(), length);
            assertThatThrownBy(() -> ShareRecords.value(cut))
                    .as("value cut to %d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
