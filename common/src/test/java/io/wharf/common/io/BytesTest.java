package io.wharf.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.TopicId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BytesTest {

    private static final TopicId ID = new TopicId(7, -7);

    private static byte[] sample() {
        Map<TopicId, List<Integer>> partitions = new LinkedHashMap<>();
        partitions.put(ID, List.of(0, 2));
        partitions.put(new TopicId(1, 1), List.of());
        return new Bytes.Writer()
                .int8(-3)
                .int16(300)
                .int32(-70_000)
                .int64(1L << 40)
                .string("héllo")
                .string(null)
                .bytes(new byte[] {1, 2, 3})
                .bytes(null)
                .strings(List.of("a", "bc"))
                .ints(List.of(5, -5))
                .id(ID)
                .partitions(partitions)
                .toArray();
    }

    @Test
    void everyValueReadsBackAsWritten() {
        Bytes.Reader in = new Bytes.Reader(sample());
        assertThat(in.int8()).isEqualTo(-3);
        assertThat(in.int16()).isEqualTo(300);
        assertThat(in.int32()).isEqualTo(-70_000);
        assertThat(in.int64()).isEqualTo(1L << 40);
        assertThat(in.string()).isEqualTo("héllo");
        assertThat(in.string()).isNull();
        assertThat(in.bytes()).containsExactly(1, 2, 3);
        assertThat(in.bytes()).isNull();
        assertThat(in.strings()).containsExactly("a", "bc");
        assertThat(in.ints()).containsExactly(5, -5);
        assertThat(in.id()).isEqualTo(ID);
        assertThat(in.partitions())
                .containsExactly(Map.entry(ID, List.of(0, 2)), Map.entry(new TopicId(1, 1), List.of()));
    }

    @Test
    void readingPastTheEndAtAnyCutIsAnIllegalArgument() {
        byte[] whole = sample();
        for (int length = 0; length < whole.length; length++) {
            Bytes.Reader in = new Bytes.Reader(Arrays.copyOf(whole, length));
            assertThatThrownBy(() -> {
                        in.int8();
                        in.int16();
                        in.int32();
                        in.int64();
                        in.string();
                        in.string();
                        in.bytes();
                        in.bytes();
                        in.strings();
                        in.ints();
                        in.id();
                        in.partitions();
                    })
                    .as("cut to %d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aCountLargerThanWhatIsLeftIsRefusedBeforeAnythingIsAllocated() {
        byte[] huge = new Bytes.Writer().int32(Integer.MAX_VALUE).toArray();
        assertThatThrownBy(() -> new Bytes.Reader(huge).ints())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid count");
    }
}
