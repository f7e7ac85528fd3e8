package io.wharf.metadata.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.metadata.image.BrokerState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metadata log's record format: what is on disk must read back as it was written, by every later version. */
class MetadataRecordSerdeTest {

    private static final TopicId ID = new TopicId(0x0102030405060708L, 0x1112131415161718L);

    private static final List<MetadataRecord> EVERY_KIND = List.of(
            new TopicRecord("orders", ID),
            new PartitionRecord(ID, 3, List.of(1, 2, 3), List.of(1, 3), 1, 7, 12),
            new RemoveTopicRecord(ID),
            new ConfigRecord(ConfigRecord.ResourceType.TOPIC, "orders", "retention.ms", "60000"),
            new ConfigRecord(ConfigRecord.ResourceType.BROKER, "1", "log.retention.hours", null),
            new ProducerIdsRecord(1, 5000L),
            new BrokerRecord(1, List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092)), null),
            new BrokerRecord(2, List.of(), "rack-a"),
            new PartitionRecord(ID, 0, List.of(1, 2, 3, 4), List.of(1, 2), 1, 2, 3, List.of(4), List.of(3)),
            new RegisterBrokerRecord(3, ID, 42L, List.of(new Endpoint("PLAINTEXT", "h", 9092)), "r1"),
            new BrokerStateRecord(3, 42L, BrokerState.ACTIVE),
            new BrokerStateRecord(3, 42L, BrokerState.SHUTTING_DOWN),
            new UnregisterBrokerRecord(3, 42L),
            new ClusterRecord("Wharf-cluster-1"));

    /** The hex of one record per type, as the layout in {@link MetadataRecordSerde} draws it. */
    private static String hex(MetadataRecord record) {
        return HexFormat.of().formatHex(MetadataRecordSerde.encode(record));
    }

    private static final String ID_HEX = "0102030405060708" + "1112131415161718";

    @Test
    void everyKindReadsBackAsWritten() {
        for (MetadataRecord record : EVERY_KIND) {
            assertThat(MetadataRecordSerde.decode(ByteBuffer.wrap(MetadataRecordSerde.encode(record))))
                    .isEqualTo(record);
        }
    }

    @Test
    void aTopicRecordHasTheDocumentedLayout() {
        byte[] expected = {
            1,
            0, // type, version
            0,
            6,
            'o',
            'r',
            'd',
            'e',
            'r',
            's', // int16 length, UTF-8
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            0x11,
            0x12,
            0x13,
            0x14,
            0x15,
            0x16,
            0x17,
            0x18 // topic id, two int64
        };
        assertThat(MetadataRecordSerde.encode(new TopicRecord("orders", ID))).isEqualTo(expected);
    }

    @Test
    void everyTypeHasTheDocumentedLayout() {
        // type, version, then the fields in order
        assertThat(hex(new PartitionRecord(ID, 3, List.of(1, 2), List.of(1), 1, 7, 12, List.of(2), List.of())))
                .isEqualTo("0201" + ID_HEX + "00000003" + "00000002" + "00000001" + "00000002" + "00000001" + "00000001"
                        + "00000001" + "00000007" + "0000000c" + "00000001" + "00000002" + "00000000");
        assertThat(hex(new RemoveTopicRecord(ID))).isEqualTo("0300" + ID_HEX);
        assertThat(hex(new ConfigRecord(ConfigRecord.ResourceType.GROUP, "g", "k", null)))
                .isEqualTo("0400" + "02" + "000167" + "00016b" + "ffff");
        assertThat(hex(new ConfigRecord(ConfigRecord.ResourceType.BROKER, "", "k", "v")))
                .isEqualTo("0400" + "01" + "0000" + "00016b" + "000176");
        assertThat(hex(new ProducerIdsRecord(2, 5000L))).isEqualTo("0500" + "00000002" + "0000000000001388");
        assertThat(hex(new BrokerRecord(1, List.of(new Endpoint("P", "h", 9)), null)))
                .isEqualTo("0600" + "00000001" + "00000001" + "000150" + "000168" + "00000009" + "ffff");
        assertThat(hex(new RegisterBrokerRecord(1, ID, 42L, List.of(new Endpoint("P", "h", 9)), "r")))
                .isEqualTo("0700" + "00000001" + ID_HEX + "000000000000002a" + "00000001" + "000150" + "000168"
                        + "00000009" + "000172");
        assertThat(hex(new BrokerStateRecord(1, 42L, BrokerState.FENCED)))
                .isEqualTo("0800" + "00000001" + "000000000000002a" + "01");
        assertThat(hex(new BrokerStateRecord(1, 42L, BrokerState.ACTIVE))).endsWith("02");
        assertThat(hex(new BrokerStateRecord(1, 42L, BrokerState.SHUTTING_DOWN)))
                .endsWith("03");
        assertThat(hex(new UnregisterBrokerRecord(1, 42L))).isEqualTo("0900" + "00000001" + "000000000000002a");
        assertThat(hex(new ClusterRecord("c"))).isEqualTo("0a00" + "000163");
    }

    @Test
    void aPartitionRecordOfVersionZeroReadsAsOneWithoutAReassignment() {
        byte[] v0 = HexFormat.of()
                .parseHex("0200" + ID_HEX + "00000003" + "00000001" + "00000001" + "00000001" + "00000001" + "00000001"
                        + "00000007" + "0000000c");
        assertThat(MetadataRecordSerde.decode(ByteBuffer.wrap(v0)))
                .isEqualTo(new PartitionRecord(ID, 3, List.of(1), List.of(1), 1, 7, 12));
    }

    @Test
    void decodingLeavesTheCallersBufferWhereItWas() {
        ByteBuffer bytes = ByteBuffer.wrap(MetadataRecordSerde.encode(new RemoveTopicRecord(ID)));
        MetadataRecordSerde.decode(bytes);
        assertThat(bytes.position()).isZero();
    }

    @Test
    void everyTruncationIsAnIllegalArgument() {
        for (MetadataRecord record : EVERY_KIND) {
            byte[] whole = MetadataRecordSerde.encode(record);
            for (int length = 0; length < whole.length; length++) {
                ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(whole, length));
                assertThatThrownBy(() -> MetadataRecordSerde.decode(cut))
                        .as("%s cut to %d bytes", record, length)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void unknownTypesVersionsAndResourceTypesAreIllegalArguments() {
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(new byte[] {99, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type 99");
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(new byte[] {1, 5})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 5");
        byte[] config = MetadataRecordSerde.encode(EVERY_KIND.get(3));
        config[2] = 42;
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(config)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resource type 42");
        byte[] state = MetadataRecordSerde.encode(new BrokerStateRecord(1, 2L, BrokerState.FENCED));
        state[state.length - 1] = 9;
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(state)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broker state 9");
    }
}
