package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.TopicPartition;
import io.wharf.storage.journal.Journal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's appends ({@link AppendOrigin#REPLICATION}) go through the journal like a leader's: one sync makes what
 * it fetched for all its partitions durable, and a truncation after a divergence survives a crash with the leader's
 * offsets and epochs intact.
 */
class FollowerAppendTest {

    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    private JournalFixture fixture;
    private final LogFixture leaders = new LogFixture();

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(dir.resolve("follower"), LogFixture.smallSegments(1 << 20));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        leaders.close();
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("replicated", partition);
    }

    @Test
    void oneSyncCoversWhatAFollowerFetchedForAllItsPartitions() throws Exception {
        LogManager manager = fixture.open();
        Journal journal = manager.journal().orElseThrow();
        List<PartitionLog> followers = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog leader = leaders.open(dir.resolve("leader-" + p), LogConfig.defaults());
            leader.append(leaders.batch("a" + p, "b" + p), AppendOrigin.CLIENT, 3);
            leader.append(leaders.batch("c" + p), AppendOrigin.CLIENT, 4);
            PartitionLog follower = manager.getOrCreate(tp(p), fixture.config);
            follower.append(leader.read(0, 10_000, Long.MAX_VALUE, true).readFully(), AppendOrigin.REPLICATION, -1);
            followers.add(follower);
        }
        long syncsBefore = journal.stats().snapshot().syncs();

        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (PartitionLog follower : followers) {
            durable.add(follower.flush(follower.logEndOffset()));
        }
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(journal.stats().snapshot().syncs() - syncsBefore).isEqualTo(1);
        for (PartitionLog follower : followers) {
            assertThat(follower.durableOffset()).isEqualTo(3);
        }
    }

    @Test
    void aFollowersTruncationAndWhatItFetchedAfterSurviveACrash() throws Exception {
        LogManager manager = fixture.open();
        PartitionLog leader = leaders.open(dir.resolve("leader"), LogConfig.defaults());
        leader.append(leaders.batch("a", "b"), AppendOrigin.CLIENT, 3);
        PartitionLog follower = manager.getOrCreate(tp(0), fixture.config);
        follower.append(leader.read(0, 10_000, Long.MAX_VALUE, true).readFully(), AppendOrigin.REPLICATION, -1);
        // The follower also had a record the new leader never got: a divergence it must cut.
        PartitionLog stale = leaders.open(dir.resolve("stale"), LogConfig.defaults());
        stale.append(leaders.batch("x", "y"), AppendOrigin.CLIENT, 3);
        stale.append(leaders.batch("stale"), AppendOrigin.CLIENT, 3);
        ByteBuffer staleTail = stale.read(2, 10_000, Long.MAX_VALUE, true).readFully();
        follower.append(staleTail, AppendOrigin.REPLICATION, -1);
        follower.flush(follower.logEndOffset()).get(10, TimeUnit.SECONDS);

        follower.truncateTo(2);
        leader.append(leaders.batch("c"), AppendOrigin.CLIENT, 5);
        follower.append(leader.read(2, 10_000, Long.MAX_VALUE, true).readFully(), AppendOrigin.REPLICATION, -1);
        follower.flush(follower.logEndOffset()).get(10, TimeUnit.SECONDS);
        fixture.crash();
        JournalFixture.cut(fixture.activeSegment(tp(0)), 0);

        PartitionLog recovered = fixture.open().log(tp(0)).orElseThrow();

        assertThat(LogFixture.values(LogFixture.readAll(recovered))).containsExactly("a", "b", "c");
        assertThat(recovered.leaderEpochs().entries())
                .extracting(e -> e.epoch() + "@" + e.startOffset())
                .containsExactly("3@0", "5@2");
    }
}
