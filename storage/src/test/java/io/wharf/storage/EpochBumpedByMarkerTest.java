package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transaction version 2: the coordinator's marker carries the producer's next epoch, so the partition learns of the
 * epoch before any batch of it. The first batch of that epoch must then start at sequence 0, as any new epoch does.
 */
class EpochBumpedByMarkerTest {

    private static final long PRODUCER = 11L;

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    private ByteBuffer batch(short epoch, int sequence, String value) {
        return RecordBatchBuilder.create()
                .producer(PRODUCER, epoch, sequence)
                .transactional()
                .add(fixture.clock.nowMs(), null, value.getBytes(UTF_8))
                .build();
    }

    private void commitMarker(PartitionLog log, short epoch) {
        log.append(ControlBatches.marker(PRODUCER, epoch, true, 0, fixture.clock.nowMs()), AppendOrigin.COORDINATOR, 0);
    }

    @Test
    void theFirstBatchOfAnEpochBegunByAMarkerMustStartAtSequenceZero() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(batch((short) 0, 0, "a"), AppendOrigin.CLIENT, 0);
        log.append(batch((short) 0, 1, "b"), AppendOrigin.CLIENT, 0);
        commitMarker(log, (short) 1);
        long end = log.logEndOffset();

        assertThatThrownBy(() -> log.append(batch((short) 1, 2, "c"), AppendOrigin.CLIENT, 0))
                .isInstanceOfSatisfying(
                        LogException.class,
                        e -> assertThat(e.error()).isEqualTo(LogError.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(log.logEndOffset()).as("the refused batch changed nothing").isEqualTo(end);

        log.append(batch((short) 1, 0, "c"), AppendOrigin.CLIENT, 0);
        log.append(batch((short) 1, 1, "d"), AppendOrigin.CLIENT, 0);
        assertThat(log.logEndOffset()).isEqualTo(end + 2);
        assertThat(log.producerState().entry(PRODUCER).orElseThrow().lastSequence())
                .isEqualTo(1);
    }

    @Test
    void aRetryOfTheFirstBatchOfTheBumpedEpochIsADuplicate() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(batch((short) 0, 0, "a"), AppendOrigin.CLIENT, 0);
        commitMarker(log, (short) 1);
        AppendResult first = log.append(batch((short) 1, 0, "b"), AppendOrigin.CLIENT, 0);

        AppendResult retry = log.append(batch((short) 1, 0, "b"), AppendOrigin.CLIENT, 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(first.firstOffset());
        assertThat(log.logEndOffset()).isEqualTo(first.lastOffset() + 1);
    }
}
