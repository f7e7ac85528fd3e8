package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.storage.producer.BatchMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentProducerTest {

    private static final long PRODUCER = 1000L;

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    private AppendResult send(PartitionLog log, short epoch, int sequence, String... values) {
        return log.append(
                LogFixture.idempotentBatch(PRODUCER, epoch, sequence, fixture.clock.nowMs(), values),
                AppendOrigin.CLIENT,
                0);
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsetsAndIsNotAppendedAgain() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        send(log, (short) 0, 0, "a", "b");
        AppendResult original = send(log, (short) 0, 2, "c");
        send(log, (short) 0, 3, "d");

        AppendResult retry = send(log, (short) 0, 2, "c");

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset());
        assertThat(retry.lastOffset()).isEqualTo(original.lastOffset());
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(LogFixture.values(LogFixture.readAll(log))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aSequenceGapIsOutOfOrder() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        send(log, (short) 0, 0, "a");

        assertThatThrownBy(() -> send(log, (short) 0, 5, "b"))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.OUT_OF_ORDER_SEQUENCE_NUMBER))
                .hasMessageContaining("sequence 5 after 0");
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void anOlderEpochIsInvalidProducerEpoch() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        send(log, (short) 3, 0, "a");

        assertThatThrownBy(() -> send(log, (short) 2, 1, "b"))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.INVALID_PRODUCER_EPOCH));
    }

    @Test
    void aNewEpochStartsAtSequenceZero() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        send(log, (short) 0, 0, "a");

        assertThatThrownBy(() -> send(log, (short) 1, 4, "b"))
                .isInstanceOfSatisfying(
                        LogException.class,
                        e -> assertThat(e.error()).isEqualTo(LogError.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(send(log, (short) 1, 0, "b").firstOffset()).isEqualTo(1);
        assertThat(log.producerState().entry(PRODUCER).orElseThrow().epoch()).isEqualTo((short) 1);
    }

    @Test
    void onlyTheLastFiveBatchesAreRecognizedAsDuplicates() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        for (int seq = 0; seq < 7; seq++) {
            send(log, (short) 0, seq, "v" + seq);
        }
        assertThat(log.producerState().entry(PRODUCER).orElseThrow().batches())
                .extracting(BatchMetadata::firstSeq)
                .containsExactly(2, 3, 4, 5, 6);
        assertThat(send(log, (short) 0, 2, "v2").duplicate()).isTrue();
        assertThatThrownBy(() -> send(log, (short) 0, 1, "v1")).isInstanceOf(LogException.class);
    }

    @Test
    void producerStateSurvivesACleanRestart() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        send(log, (short) 0, 0, "a");
        AppendResult second = send(log, (short) 0, 1, "b");
        log.close();

        PartitionLog reopened = fixture.open(dir, LogConfig.defaults());

        assertThat(send(reopened, (short) 0, 1, "b").firstOffset()).isEqualTo(second.firstOffset());
        assertThatThrownBy(() -> send(reopened, (short) 0, 3, "d")).isInstanceOf(LogException.class);
        assertThat(send(reopened, (short) 0, 2, "c").firstOffset()).isEqualTo(2);
    }

    @Test
    void producerStateIsRebuiltFromTheLogWithoutASnapshot() throws IOException {
        PartitionLog log = fixture.open(dir, LogFixture.smallSegments(400));
        for (int seq = 0; seq < 20; seq++) {
            send(log, (short) 0, seq, "v" + seq);
        }
        log.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".snapshot")).toList()) {
                Files.delete(file);
            }
        }

        PartitionLog reopened = fixture.open(dir, LogFixture.smallSegments(400));

        assertThat(reopened.recoveryCases()).contains(RecoveryCase.MISSING_PRODUCER_SNAPSHOT);
        assertThat(send(reopened, (short) 0, 19, "v19").duplicate()).isTrue();
        assertThat(send(reopened, (short) 0, 20, "v20").firstOffset()).isEqualTo(20);
    }

    @Test
    void idleProducersExpire() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        send(log, (short) 0, 0, "a");
        fixture.clock.advanceMs(10_000);

        assertThat(log.removeExpiredProducers(fixture.clock.nowMs(), 20_000)).isZero();
        assertThat(log.removeExpiredProducers(fixture.clock.nowMs(), 5_000)).isEqualTo(1);
        assertThat(log.producerState().entry(PRODUCER)).isEmpty();
    }
}
