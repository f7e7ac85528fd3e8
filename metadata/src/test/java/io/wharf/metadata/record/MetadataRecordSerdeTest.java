package io.wharf.metadata.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
            new BrokerRecord(2, List.of(), "rack-a"));

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
    }
}
