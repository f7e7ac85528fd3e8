package io.wharf.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under acks-all a follower's fetch offset is its position in the leader's high watermark, so it must be on the
 * follower's disk when it is sent, also for a partition whose log end was written elsewhere than in the fetcher's last
 * round. Found by the replication simulation (seed 319 of acks-all): a follower moved to its new leader's fetcher
 * while the old one waited for the fsync of what it had just appended; the new one fetched from the unsynced end at
 * once, the leader committed on it, and a power loss of the follower (then elected leader) took acknowledged records.
 * The test takes the other way to an unsynced end: a leader that becomes a follower before its writes are synced.
 */
class FollowerDurabilityTest {

    private static final int LEADER = 1;
    private static final int FOLLOWER = 2;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Runnable> heldFsyncs = new ArrayList<>();
    private final Executor fsyncs = task -> {
        synchronized (heldFsyncs) {
            heldFsyncs.add(task);
        }
    };
    private final List<long[]> fetches = new CopyOnWriteArrayList<>();
    private PartitionLog log;
    private ReplicaFetcherManager fetchers;

    @AfterEach
    void close() throws IOException {
        if (fetchers != null) {
            fetchers.close();
        }
        runHeldFsyncs();
        log.close();
        scheduler.shutdownNow();
    }

    private void runHeldFsyncs() {
        List<Runnable> due;
        synchronized (heldFsyncs) {
            due = new ArrayList<>(heldFsyncs);
            heldFsyncs.clear();
        }
        due.forEach(Runnable::run);
    }

    @Test
    void aFollowerWhoseLogEndIsNotOnDiskFsyncsItBeforeItFetches() throws IOException {
        log = PartitionLog.open(dir, LogConfig.parse(Map.of()), new LogRuntime(clock, fsyncs, scheduler, 0));
        TopicPartition tp = new TopicPartition("t", 0);
        PartitionAssignment ledHere = new PartitionAssignment(FOLLOWER, 1, 1, List.of(LEADER, FOLLOWER), List.of(2));
        PartitionReplica replica = new PartitionReplica(tp, TopicId.random(), log, FOLLOWER, ledHere, IsrChannel.NONE);
        replica.update(ledHere);
        for (int i = 0; i < 3; i++) {
            replica.appendAsLeader(RecordBatchBuilder.create()
                    .add(clock.nowMs(), null, ("v" + i).getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        assertThat(log.durableOffset()).as("the fsyncs are held").isZero();
        replica.update(new PartitionAssignment(LEADER, 2, 2, List.of(LEADER, FOLLOWER), List.of(1, 2)));

        LeaderClient leader = (leaderId, request) -> {
            fetches.add(new long[] {request.partitions().get(0).fetchOffset(), log.durableOffset()});
            return new CompletableFuture<>();
        };
        fetchers = new ReplicaFetcherManager(
                FOLLOWER,
                () -> 1L,
                leader,
                new ReplicaFetcherManager.Settings(10, 1, 1 << 20, 1 << 20, 10, 200),
                clock);
        fetchers.follow(replica);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(fetches).as("no fetch from an end that is not on disk").isEmpty();

        runHeldFsyncs();
        await().atMost(Duration.ofSeconds(10)).until(() -> !fetches.isEmpty());
        assertThat(fetches.get(0)).containsExactly(3, 3);
    }
}
