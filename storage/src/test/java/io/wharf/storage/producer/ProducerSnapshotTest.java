package io.wharf.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer snapshot's layout, version 2 with each producer's open transaction, and version 1 still read. */
class ProducerSnapshotTest {

    @TempDir
    Path dir;

    private static BatchView transactionalBatch(long producerId, long baseOffset) {
        ByteBuffer bytes = RecordBatchBuilder.create()
                .producer(producerId, (short) 2, 0)
                .transactional()
                .add(5L, null, new byte[] {1})
                .build();
        BatchView batch = new BatchView().wrap(bytes, 0);
        batch.setBaseOffset(baseOffset);
        return batch;
    }

    @Test
    void versionTwoHoldsTheOpenTransactionsFirstOffset() throws Exception {
        ProducerStateManager producers = new ProducerStateManager(dir);
        producers.apply(transactionalBatch(7, 3), ControlBatches.NOT_A_MARKER);
        producers.takeSnapshot(4);

        byte[] bytes = Files.readAllBytes(dir.resolve("00000000000000000004.snapshot"));
        String hex = HexFormat.of().formatHex(bytes);
        assertThat(hex.substring(0, 4)).as("version").isEqualTo("0002");
        assertThat(hex.substring(12))
                .isEqualTo(
                        "00000001" // one producer
                                + "0000000000000007" // producer id
                                + "0002" // epoch
                                + "0000000000000005" // last timestamp
                                + "0000000000000003" // open transaction's first offset
                                + "00000001" // one batch
                                + "00000000" + "00000000" // first and last sequence
                                + "0000000000000003" + "0000000000000003" // first and last offset
                                + "0000000000000005"); // timestamp

        ProducerStateManager reloaded = new ProducerStateManager(dir);
        assertThat(reloaded.loadLatestSnapshot(10)).isEqualTo(4);
        assertThat(reloaded.firstUnstableOffset()).isEqualTo(3);
        assertThat(reloaded.entry(7).orElseThrow().transactionFirstOffset()).isEqualTo(3);
    }

    @Test
    void versionOneIsReadWithNoTransactionsOpen() throws Exception {
        ByteBuffer body = ByteBuffer.allocate(4 + 8 + 2 + 8 + 4 + 32)
                .putInt(1)
                .putLong(9)
                .putShort((short) 1)
                .putLong(100)
                .putInt(1)
                .putInt(0)
                .putInt(4)
                .putLong(10)
                .putLong(14)
                .putLong(100);
        CRC32C crc = new CRC32C();
        crc.update(body.array());
        ByteBuffer file = ByteBuffer.allocate(2 + 4 + body.capacity())
                .putShort((short) 1)
                .putInt((int) crc.getValue())
                .put(body.array());
        Files.write(dir.resolve("00000000000000000015.snapshot"), file.array());

        ProducerStateManager producers = new ProducerStateManager(dir);

        assertThat(producers.loadLatestSnapshot(20)).isEqualTo(15);
        ProducerEntry entry = producers.entry(9).orElseThrow();
        assertThat(entry.lastSequence()).isEqualTo(4);
        assertThat(entry.transactionFirstOffset()).isEqualTo(-1);
        assertThat(producers.firstUnstableOffset()).isEqualTo(Long.MAX_VALUE);
    }
}
