package io.wharf.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.epoch.LeaderEpochCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower whose log holds records of leader epochs its new leader's log does not have finds where the two logs
 * part, truncates there and catches up. Found by the replication simulation, where such a follower fetched the same
 * offset for ever, never rejoined the ISR, and took the leader's high watermark over records the leader never had.
 */
class DivergenceTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int LEADER = 1;
    private static final int FOLLOWER = 2;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LogRuntime runtime = new LogRuntime(clock, Runnable::run, scheduler, 0);
    private PartitionLog leaderLog;
    private PartitionLog followerLog;
    private PartitionReplica leader;
    private PartitionReplica follower;

    @AfterEach
    void close() throws IOException {
        leaderLog.close();
        followerLog.close();
        scheduler.shutdownNow();
    }

    private void open() throws IOException {
        leaderLog = PartitionLog.open(dir.resolve("leader"), LogConfig.parse(Map.of()), runtime);
        followerLog = PartitionLog.open(dir.resolve("follower"), LogConfig.parse(Map.of()), runtime);
        PartitionAssignment none = assignment(PartitionAssignment.NO_LEADER, 0);
        TopicId id = TopicId.random();
        leader = new PartitionReplica(TP, id, leaderLog, LEADER, none, IsrChannel.NONE);
        follower = new PartitionReplica(TP, id, followerLog, FOLLOWER, none, IsrChannel.NONE);
    }

    private static PartitionAssignment assignment(int leaderId, int epoch) {
        return new PartitionAssignment(leaderId, epoch, epoch, List.of(LEADER, FOLLOWER), List.of(LEADER, FOLLOWER));
    }

    private static void append(PartitionReplica replica, String... values) {
        for (String value : values) {
            replica.appendAsLeader(RecordBatchBuilder.create()
                    .add(1_700_000_000_000L, null, value.getBytes(StandardCharsets.UTF_8))
                    .build());
        }
    }

    /** One fetch by the follower, handled as the replica fetcher does; whether it had to truncate. */
    private boolean fetchOnce() {
        FollowerRead read = leader.readForFollower(
                FOLLOWER, followerLog.logEndOffset(), follower.lastEpoch(), leader.leaderEpoch(), 1 << 20);
        assertThat(read.error()).isEqualTo(ReplicaError.NONE);
        if (read.divergingEpoch() >= 0) {
            follower.truncateToDivergence(read.divergingEpoch(), read.divergingEndOffset());
            return true;
        }
        if (!read.slice().isEmpty()) {
            follower.appendAsFollower(read.slice().readFully());
        }
        return false;
    }

    private void catchUp() {
        for (int round = 0; round < 10 && followerLog.logEndOffset() < leaderLog.logEndOffset(); round++) {
            fetchOnce();
        }
    }

    /** Found by seed 12 of acks-all (stuck for ever). */
    @Test
    void aFollowerCutsAtTheEndOfTheDivergingEpochInItsOwnLog() throws IOException {
        open();
        leader.update(assignment(LEADER, 1));
        follower.update(assignment(LEADER, 1));
        append(leader, "a0", "a1");
        catchUp();
        // The follower led epoch 2 while cut off, writing records nobody fetched; the old leader went on in
        // epoch 1 and was then elected again, in epoch 3.
        follower.update(assignment(FOLLOWER, 2));
        append(follower, "b2", "b3", "b4");
        append(leader, "a2", "a3", "a4", "a5");
        leader.update(assignment(LEADER, 3));
        follower.update(assignment(LEADER, 3));
        append(leader, "a6");

        assertThat(fetchOnce()).as("the follower's epoch 2 is not the leader's").isTrue();
        assertThat(followerLog.logEndOffset())
                .as("cut where epoch 1 ends in the follower's log, not in the leader's")
                .isEqualTo(2);

        catchUp();
        assertThat(followerLog.logEndOffset()).isEqualTo(7);
        assertThat(followerLog.leaderEpochs().entries())
                .isEqualTo(leaderLog.leaderEpochs().entries());
    }

    /** Found by seeds 8 (stuck for ever) and 55 (wrong records below the follower's watermark) of acks-all. */
    @Test
    void aLeaderWithOnlyNewerEpochsTellsTheFollowerToCutWhereItsFirstEpochStarts() throws IOException {
        open();
        // The follower led epoch 1 and wrote records nobody fetched; the leader was elected in epoch 2 with an
        // empty log.
        follower.update(assignment(FOLLOWER, 1));
        append(follower, "b0", "b1", "b2");
        leader.update(assignment(LEADER, 2));
        follower.update(assignment(LEADER, 2));
        append(leader, "a0", "a1");
        assertThat(leaderLog.leaderEpochs().entries()).containsExactly(new LeaderEpochCache.EpochEntry(2, 0));

        assertThat(fetchOnce())
                .as("nothing of the follower's epoch 1 is the leader's")
                .isTrue();
        assertThat(followerLog.logEndOffset()).isZero();

        catchUp();
        assertThat(followerLog.logEndOffset()).isEqualTo(2);
        assertThat(followerLog.leaderEpochs().entries())
                .isEqualTo(leaderLog.leaderEpochs().entries());
    }
}
