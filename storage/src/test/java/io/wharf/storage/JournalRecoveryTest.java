package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.storage.journal.JournalFormat;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per recovery case the journal brings, each named after its {@link RecoveryCase} constant. A test writes
 * through a {@link LogManager} with a journal, stops it as SIGKILL would, damages the files as a power loss does
 * (bytes that were never forced are gone), and checks that every durable record is back, intact, in order.
 */
class JournalRecoveryTest {

    @TempDir
    Path dir;

    private JournalFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(dir, LogFixture.smallSegments(1 << 20));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private static List<String> values(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    private List<String> stored(PartitionLog log) {
        return LogFixture.values(LogFixture.readAll(log));
    }

    @Test
    void journalAheadOfSegment() throws Exception {
        fixture.open();
        fixture.appendDurably(fixture.log(), values("v", 0, 50));
        fixture.crash();
        // The segment's tail was never forced: a power loss keeps only its first 10 batches.
        Path segment = fixture.activeSegment(JournalFixture.TP);
        JournalFixture.cut(segment, JournalFixture.batchesIn(segment).get(10)[0]);

        PartitionLog log = fixture.open().log(JournalFixture.TP).orElseThrow();

        assertThat(log.recoveryCases()).contains(RecoveryCase.JOURNAL_AHEAD_OF_SEGMENT);
        assertThat(stored(log)).isEqualTo(values("v", 0, 50));
        assertThat(log.durableOffset()).isEqualTo(50);
    }

    @Test
    void journalTornTail() throws Exception {
        fixture.open();
        fixture.appendDurably(fixture.log(), values("v", 0, 20));
        fixture.crash();
        // The last journal entry is torn (one byte of it never reached the disk), and so is the segment.
        Path journalFile = fixture.journalFiles().get(0);
        List<Integer> entries = JournalFixture.entryPositions(journalFile);
        flipByte(journalFile, entries.get(entries.size() - 1) + JournalFormat.ENTRY_HEADER_BYTES + 3);
        JournalFixture.cut(fixture.activeSegment(JournalFixture.TP), 0);

        LogManager manager = fixture.open();
        PartitionLog log = manager.log(JournalFixture.TP).orElseThrow();

        assertThat(manager.journalRecoveryCases()).contains(RecoveryCase.JOURNAL_TORN_TAIL);
        assertThat(stored(log)).isEqualTo(values("v", 0, 19));
        // The next append goes where replay stopped, and survives the next crash too.
        fixture.appendDurably(log, List.of("after"));
        fixture.crash();
        // Recovery forced the 19 batches it kept; only the new one was never forced.
        Path segment = fixture.activeSegment(JournalFixture.TP);
        JournalFixture.cut(segment, JournalFixture.batchesIn(segment).get(19)[0]);
        List<String> expected = new java.util.ArrayList<>(values("v", 0, 19));
        expected.add("after");
        assertThat(stored(fixture.open().log(JournalFixture.TP).orElseThrow())).isEqualTo(expected);
    }

    @Test
    void segmentAheadOfJournal() throws Exception {
        fixture.open();
        fixture.appendDurably(fixture.log(), values("v", 0, 10));
        fixture.crash();
        // Batches that reached the segment but never the journal (the process died between the two writes).
        try (LogFixture standalone = new LogFixture()) {
            PartitionLog alone = standalone.open(fixture.partitionDir(JournalFixture.TP), fixture.config);
            for (String value : values("v", 10, 13)) {
                alone.append(standalone.batch(value), AppendOrigin.CLIENT, 0);
            }
            standalone.abandon(alone);
        }

        PartitionLog log = fixture.open().log(JournalFixture.TP).orElseThrow();

        assertThat(log.recoveryCases()).contains(RecoveryCase.SEGMENT_AHEAD_OF_JOURNAL);
        assertThat(stored(log)).isEqualTo(values("v", 0, 13));
    }

    @Test
    void journalTruncation() throws Exception {
        fixture.open();
        PartitionLog before = fixture.log();
        fixture.appendDurably(before, values("v", 0, 10));
        before.truncateTo(5);
        fixture.appendDurably(before, values("w", 0, 3));
        fixture.crash();
        // Nothing of the segment survived: the journal alone rebuilds it, truncation included.
        JournalFixture.cut(fixture.activeSegment(JournalFixture.TP), 0);

        PartitionLog log = fixture.open().log(JournalFixture.TP).orElseThrow();

        assertThat(log.recoveryCases()).contains(RecoveryCase.JOURNAL_TRUNCATION);
        assertThat(stored(log)).containsExactly("v0", "v1", "v2", "v3", "v4", "w0", "w1", "w2");
    }

    @Test
    void journalEntriesOfDeletedPartition() throws Exception {
        LogManager manager = fixture.open();
        fixture.appendDurably(fixture.log(), values("old", 0, 10));
        manager.delete(JournalFixture.TP);
        fixture.appendDurably(fixture.log(), values("new", 0, 2));
        fixture.crash();
        JournalFixture.cut(fixture.activeSegment(JournalFixture.TP), 0);

        manager = fixture.open();
        PartitionLog log = manager.log(JournalFixture.TP).orElseThrow();

        assertThat(manager.journalRecoveryCases()).contains(RecoveryCase.JOURNAL_ENTRIES_OF_DELETED_PARTITION);
        assertThat(stored(log)).isEqualTo(values("new", 0, 2));
    }

    @Test
    void aLogThatStartedOverKeepsNothingOfWhatItHeldBefore() throws Exception {
        fixture.open();
        PartitionLog before = fixture.log();
        fixture.appendDurably(before, values("old", 0, 10));
        before.truncateTo(4);
        // A follower whose leader's log now starts at 100 empties its log and starts it there.
        before.truncateFullyAndStartAt(100);
        fixture.appendDurably(before, values("new", 0, 3));
        fixture.crash();
        JournalFixture.cut(fixture.activeSegment(JournalFixture.TP), 0);

        PartitionLog log = fixture.open().log(JournalFixture.TP).orElseThrow();

        assertThat(log.logStartOffset()).isEqualTo(100);
        assertThat(log.logEndOffset()).isEqualTo(103);
        assertThat(stored(log)).isEqualTo(values("new", 0, 3));
    }

    @Test
    void aCleanStopLeavesNothingToReplay() throws Exception {
        fixture.open();
        fixture.appendDurably(fixture.log(), values("v", 0, 30));
        fixture.close();

        LogManager manager = fixture.open();
        PartitionLog log = manager.log(JournalFixture.TP).orElseThrow();

        assertThat(log.recoveryCases()).containsExactly(RecoveryCase.CLEAN_SHUTDOWN);
        assertThat(manager.journalRecoveryCases()).isEmpty();
        assertThat(stored(log)).isEqualTo(values("v", 0, 30));
    }

    private static void flipByte(Path file, long position) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            channel.write(one, position);
        }
    }
}
