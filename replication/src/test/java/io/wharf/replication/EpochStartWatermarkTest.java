package io.wharf.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's high watermark trails its leader's by a fetch. Elected, it cannot know how far its predecessor
 * committed until its own followers have fetched from it, and says so ({@link
 * PartitionReplica#watermarkBehindEpochStart()}) rather than give a short end of the log as the end.
 */
class EpochStartWatermarkTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int FIRST = 1;
    private static final int SECOND = 2;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LogRuntime runtime = new LogRuntime(clock, Runnable::run, scheduler, 0);
    private PartitionLog firstLog;
    private PartitionLog secondLog;
    private PartitionReplica first;
    private PartitionReplica second;

    @BeforeEach
    void open() throws IOException {
        firstLog = PartitionLog.open(dir.resolve("first"), LogConfig.parse(Map.of()), runtime);
        secondLog = PartitionLog.open(dir.resolve("second"), LogConfig.parse(Map.of()), runtime);
        TopicId id = TopicId.random();
        PartitionAssignment none = assignment(PartitionAssignment.NO_LEADER, 0, List.of(FIRST, SECOND));
        first = new PartitionReplica(TP, id, firstLog, FIRST, none, IsrChannel.NONE);
        second = new PartitionReplica(TP, id, secondLog, SECOND, none, IsrChannel.NONE);
    }

    @AfterEach
    void close() throws IOException {
        firstLog.close();
        secondLog.close();
        scheduler.shutdownNow();
    }

    private static PartitionAssignment assignment(int leaderId, int epoch, List<Integer> isr) {
        return new PartitionAssignment(leaderId, epoch, epoch, List.of(FIRST, SECOND), isr);
    }

    private static void append(PartitionReplica leader, String value) {
        leader.appendAsLeader(RecordBatchBuilder.create()
                .add(1_700_000_000_000L, null, value.getBytes(StandardCharsets.UTF_8))
                .build());
    }

    /** One fetch by {@code follower} from {@code leader}, as the replica fetcher handles it. */
    private static void fetch(PartitionReplica leader, PartitionReplica follower, int followerId) {
        FollowerRead read = leader.readForFollower(
                followerId, follower.log().logEndOffset(), follower.lastEpoch(), leader.leaderEpoch(), 1 << 20);
        assertThat(read.error()).isEqualTo(ReplicaError.NONE);
        if (!read.slice().isEmpty()) {
            follower.appendAsFollower(read.slice().readFully());
        }
        follower.followLeaderHighWatermark(read.highWatermark());
    }

    @Test
    void aNewLeaderSaysItsWatermarkLagsUntilItsFollowerHasFetched() {
        first.update(assignment(FIRST, 1, List.of(FIRST, SECOND)));
        second.update(assignment(FIRST, 1, List.of(FIRST, SECOND)));
        append(first, "a");
        append(first, "b");
        append(first, "c");
        fetch(first, second, SECOND);
        assertThat(second.log().logEndOffset()).isEqualTo(3);
        assertThat(second.highWatermark())
                .as("the leader's watermark when the follower fetched: the follower had not told it its position yet")
                .isZero();

        second.update(assignment(SECOND, 2, List.of(FIRST, SECOND)));
        first.update(assignment(SECOND, 2, List.of(FIRST, SECOND)));
        assertThat(second.watermarkBehindEpochStart())
                .as("elected with a watermark below its log end")
                .isTrue();

        fetch(second, first, FIRST);
        assertThat(second.highWatermark()).isEqualTo(3);
        assertThat(second.watermarkBehindEpochStart()).isFalse();
    }

    @Test
    void aLeaderWithTooFewInSyncReplicasToMoveItsWatermarkGivesTheWatermarkItHas() {
        first.update(assignment(FIRST, 1, List.of(FIRST, SECOND)));
        second.update(assignment(FIRST, 1, List.of(FIRST, SECOND)));
        append(first, "a");
        fetch(first, second, SECOND);
        assertThat(second.highWatermark()).isZero();

        second.setMinInsyncReplicas(2);
        second.update(assignment(SECOND, 2, List.of(SECOND)));
        assertThat(second.highWatermark()).isZero();
        assertThat(second.watermarkBehindEpochStart())
                .as("alone in the ISR under min.insync.replicas=2, the watermark cannot move")
                .isFalse();
    }
}
