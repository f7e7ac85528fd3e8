package io.wharf.storage.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.Clock;
import io.wharf.storage.LogError;
import io.wharf.storage.LogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on its own: its bytes on disk, group commit, files rolled and recycled, and what a failure does. */
class JournalTest {

    private static final int FILE_BYTES = 64 * 1024;
    private static final long LOG_ID = 0x0102030405060708L;

    @TempDir
    Path dir;

    private final ExecutorService completions = Executors.newFixedThreadPool(2);
    private final List<Journal> opened = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        for (Journal journal : opened) {
            journal.close();
        }
        completions.shutdownNow();
    }

    private OpenedJournal read() throws IOException {
        return Journal.open(dir, JournalSettings.small(FILE_BYTES), Clock.system(), completions);
    }

    private Journal start() throws IOException {
        Journal journal = read().start();
        opened.add(journal);
        return journal;
    }

    private static ByteBuffer payload(int index, int bytes) {
        byte[] value = new byte[bytes];
        byte[] label = ("entry-" + index).getBytes(UTF_8);
        System.arraycopy(label, 0, value, 0, Math.min(label.length, bytes));
        return ByteBuffer.wrap(value);
    }

    @Test
    void anEntryIsLaidOutAsDrawn() {
        ByteBuffer header = JournalFormat.entryHeader(
                ByteBuffer.allocate(JournalFormat.ENTRY_HEADER_BYTES),
                7,
                JournalFormat.APPEND,
                LOG_ID,
                42,
                ByteBuffer.wrap("abc".getBytes(UTF_8)));

        assertThat(HexFormat.of().formatHex(bytes(header)))
                .isEqualTo(
                        "00000027" // length: 36-byte header + 3-byte payload
                                + "3f0e8407" // CRC32C of everything after this field
                                + "0000000000000007" // file sequence
                                + "0001" // type APPEND
                                + "0000"
                                + "0102030405060708" // log id
                                + "000000000000002a"); // base offset of the first batch
    }

    @Test
    void aFileStartsWithItsHeader() {
        assertThat(HexFormat.of().formatHex(bytes(JournalFormat.fileHeader(7))))
                .isEqualTo("574a4e4c" + "0001" + "0000" + "0000000000000007");
    }

    @Test
    void theCheckpointIsLaidOutAsDrawn() throws IOException {
        new JournalCheckpoint(JournalFormat.lsn(7, 1024), Map.of(-5L, 0L, 9L, 52341L)).write(dir);

        assertThat(Files.readString(dir.resolve(JournalCheckpoint.FILE_NAME)))
                .isEqualTo("version 1\nreplay-from 7 1024\nflushed -5 0\nflushed 9 52341\n");
        assertThat(JournalCheckpoint.read(dir).orElseThrow().replayFrom()).isEqualTo(JournalFormat.lsn(7, 1024));
    }

    @Test
    void oneSyncCoversEveryEntryAppendedBeforeIt() throws Exception {
        Journal journal = start();
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = journal.append(JournalFormat.APPEND, LOG_ID, i, payload(i, 100));
        }

        journal.awaitDurable(last).get(10, TimeUnit.SECONDS);

        assertThat(journal.stats().snapshot().syncs()).isEqualTo(1);
        assertThat(journal.durableLsn()).isGreaterThanOrEqualTo(last);
    }

    @Test
    void entriesSurviveAcrossRolledFilesInOrder() throws Exception {
        Journal journal = start();
        long last = 0;
        for (int i = 0; i < 200; i++) {
            last = journal.append(JournalFormat.APPEND, LOG_ID, i, payload(i, 900 + i));
            if (i % 7 == 0) {
                journal.awaitDurable(last).get(10, TimeUnit.SECONDS);
            }
        }
        journal.awaitDurable(last).get(10, TimeUnit.SECONDS);
        journal.halt();
        opened.remove(journal);

        JournalRecovery recovery = read().recovery();

        List<JournalEntryRef> entries = recovery.entriesFor(LOG_ID);
        assertThat(entries).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(entries.get(i).offset()).isEqualTo(i);
            assertThat(recovery.payload(entries.get(i))).isEqualTo(payload(i, 900 + i));
        }
        assertThat(JournalFormat.fileSequence(entries.get(199).lsn()))
                .as("the entries span several files")
                .isGreaterThan(JournalFormat.fileSequence(entries.get(0).lsn()) + 2);
    }

    @Test
    void aCheckpointRecyclesTheFilesBeforeItAndTheirEntriesAreNotReplayed() throws Exception {
        Journal journal = start();
        long last = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 40; i++) {
                last = journal.append(JournalFormat.APPEND, LOG_ID, round * 40L + i, payload(i, 1000));
            }
            journal.awaitDurable(last).get(10, TimeUnit.SECONDS);
            journal.checkpoint(journal.appendLsn(), Map.of(LOG_ID, round * 40L + 40));
        }
        long after = journal.append(JournalFormat.APPEND, LOG_ID, 400, payload(400, 10));
        journal.awaitDurable(after).get(10, TimeUnit.SECONDS);
        journal.halt();
        opened.remove(journal);

        assertThat(journalFiles()).as("recycled, not piling up").hasSizeLessThanOrEqualTo(8);
        JournalRecovery recovery = read().recovery();
        assertThat(recovery.entriesFor(LOG_ID))
                .extracting(JournalEntryRef::offset)
                .containsExactly(400L);
        assertThat(recovery.flushedOffset(LOG_ID)).isEqualTo(400);
    }

    @Test
    void aFullDiskRefusesTheAppendThatNeedsANewFileAndTheNextOneTriesAgain() throws Exception {
        Journal journal = start();
        journal.fileSource(sequence -> {
            throw new IOException("No space left on device");
        });
        long before = journal.appendLsn();
        LogException refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            try {
                before = journal.append(JournalFormat.APPEND, LOG_ID, i, payload(i, 1000));
            } catch (LogException e) {
                refused = e;
            }
        }

        assertThat(refused).isNotNull();
        assertThat(refused.error()).isEqualTo(LogError.KAFKA_STORAGE_ERROR);
        assertThat(journal.appendLsn()).as("nothing appended").isEqualTo(before);
        journal.awaitDurable(before).get(10, TimeUnit.SECONDS);

        journal.fileSource(sequence -> JournalFile.create(dir, sequence, FILE_BYTES));
        long next = journal.append(JournalFormat.APPEND, LOG_ID, 999, payload(999, 1000));
        journal.awaitDurable(next).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFailedWriteFailsEveryWaiterAndEveryLaterAppend() throws Exception {
        Journal journal = start();
        long lsn = journal.append(JournalFormat.APPEND, LOG_ID, 0, payload(0, 100));
        journal.activeFile().close();

        CompletableFuture<Void> durable = journal.awaitDurable(lsn);

        assertThatThrownBy(() -> durable.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LogException.class);
        assertThat(journal.isFailed()).isTrue();
        assertThatThrownBy(() -> journal.append(JournalFormat.APPEND, LOG_ID, 1, payload(1, 100)))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.KAFKA_STORAGE_ERROR));
    }

    @Test
    void theSyncQueueIsMeasured() {
        SyncStats stats = new SyncStats();
        for (int i = 1; i <= 100; i++) {
            stats.recordQueue(i * 1000L, 1);
        }
        stats.recordSync(150_000, 4096);

        SyncStats.Snapshot snapshot = stats.snapshot();
        assertThat(snapshot.appends()).isEqualTo(100);
        assertThat(snapshot.queuePercentileMicros(0.5)).isBetween(50L, 64L);
        assertThat(snapshot.queuePercentileMicros(0.99)).isBetween(99L, 128L);
        assertThat(snapshot.syncPercentileMicros(0.5)).isBetween(150L, 192L);
    }

    private List<Path> journalFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(JournalFormat.FILE_SUFFIX))
                    .toList();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
