package io.wharf.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.TopicId;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ClusterRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.TopicRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot file reads back as the image it was written from, and anything torn or damaged is refused. */
class MetadataSnapshotFileTest {

    @TempDir
    Path dir;

    private static final TopicId ID = new TopicId(1, 2);

    private static MetadataImage image() {
        return MetadataImage.EMPTY.apply(
                List.of(
                        new ClusterRecord("c"),
                        new TopicRecord("t", ID),
                        new PartitionRecord(ID, 0, List.of(1), List.of(1), 1, 0, 0)),
                7);
    }

    @Test
    void readsBackAsWritten() throws IOException {
        Path file = dir.resolve("s");
        MetadataSnapshotFile.write(file, image());
        MetadataImage read = MetadataSnapshotFile.read(file);
        assertThat(read).isEqualTo(image());
        assertThat(read.offset()).isEqualTo(7);
    }

    @Test
    void theHeaderHasTheDocumentedLayout() {
        MetadataImage empty = MetadataImage.EMPTY.apply(List.of(new ClusterRecord("c")), 5);
        byte[] bytes = MetadataSnapshotFile.encode(empty);
        // magic, version, offset, count, one record (length + bytes), then the CRC
        assertThat(HexFormat.of().formatHex(bytes, 0, bytes.length - 4))
                .isEqualTo("574d534e" + "00" + "0000000000000005" + "00000001" + "00000005" + "0a00000163");
    }

    @Test
    void everyCutAndEveryFlippedByteIsRefused() {
        byte[] whole = MetadataSnapshotFile.encode(image());
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> MetadataSnapshotFile.decode(cut, "cut")).isInstanceOf(IOException.class);
        }
        for (int i = 0; i < whole.length; i++) {
            byte[] flipped = whole.clone();
            flipped[i] ^= 0x40;
            assertThatThrownBy(() -> MetadataSnapshotFile.decode(flipped, "flipped"))
                    .as("byte %d flipped", i)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> MetadataSnapshotFile.read(dir.resolve("none"))).isInstanceOf(IOException.class);
        assertThat(Files.exists(dir.resolve("none"))).isFalse();
    }
}
