package io.wharf.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.share.PersistedShareState;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.ShareStateException;
import io.wharf.coordinator.share.ShareStateStore;
import io.wharf.coordinator.share.ShareStateSummary;
import io.wharf.coordinator.share.ShareStateWrite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The persister sends each request to whoever leads the share-partition's {@code __share_group_state} partition,
 * here or on another broker, and keeps sending it while that partition moves: no leader yet, NOT_COORDINATOR, a
 * broker that is gone. It gives up after its timeout, refusals (fenced epochs) are answered at once, the topic is
 * created when missing, and administration's batches take one request per broker.
 */
class ShareStatePersisterTest {

    private static final int SELF = 1;
    private static final long TIMEOUT_MS = 10_000;

    private final ManualClock clock = new ManualClock(1_000);
    private final PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final List<Runnable> tasks = new ArrayList<>();
    private final CoordinatorTimer timer = (delayMs, task) -> {
        tasks.add(task);
        due.add(new long[] {clock.nowMs() + delayMs, tasks.size() - 1});
        return () -> {};
    };
    private final SharePartitionKey key = new SharePartitionKey("g", TopicId.random(), 0);
    private final Map<Integer, FakeStore> stores = new HashMap<>();
    private final FakePlacement placement = new FakePlacement();
    private final ShareStatePersister persister = new ShareStatePersister(SELF, placement, timer, clock, TIMEOUT_MS);

    /** Runs the timer's tasks as the clock passes them, until none is left. */
    private void runTimers() {
        while (!due.isEmpty()) {
            runNextTimer();
        }
    }

    private void runNextTimer() {
        long[] next = due.poll();
        if (next[0] > clock.nowMs()) {
            clock.advanceMs(next[0] - clock.nowMs());
        }
        tasks.get((int) next[1]).run();
    }

    /** A share coordinator that answers each request with the next planned failure, else as a store would. */
    private static final class FakeStore implements ShareStatePersister.BatchStore {
        final List<Throwable> failures = new ArrayList<>();
        final List<String> requests = new ArrayList<>();
        final Map<SharePartitionKey, ShareStateSummary> summaries = new HashMap<>();

        private <T> CompletableFuture<T> answer(String request, T value) {
            requests.add(request);
            return failures.isEmpty()
                    ? CompletableFuture.completedFuture(value)
                    : CompletableFuture.failedFuture(failures.remove(0));
        }

        @Override
        public CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
            return answer("read", Optional.of(new PersistedShareState(0, leaderEpoch, 5, List.of())));
        }

        @Override
        public CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write) {
            return answer("write", null);
        }

        @Override
        public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
            return answer("initialize", null);
        }

        @Override
        public CompletableFuture<Void> delete(SharePartitionKey key) {
            return answer("delete", null);
        }

        @Override
        public CompletableFuture<Optional<ShareStateSummary>> summary(SharePartitionKey key) {
            return answer("summary", Optional.ofNullable(summaries.get(key)));
        }

        @Override
        public CompletableFuture<Map<SharePartitionKey, RemoteShareCoordinator.Summarized>> summaries(
                String groupId, Collection<SharePartitionKey> keys) {
            Map<SharePartitionKey, RemoteShareCoordinator.Summarized> answers = new HashMap<>();
            keys.forEach(k -> answers.put(
                    k,
                    summaries.containsKey(k)
                            ? new RemoteShareCoordinator.Summarized(Errors.NONE, Optional.of(summaries.get(k)))
                            : new RemoteShareCoordinator.Summarized(Errors.NOT_COORDINATOR, Optional.empty())));
            return answer("summaries of " + keys.size(), answers);
        }

        @Override
        public CompletableFuture<Map<SharePartitionKey, Errors>> deleteAll(
                String groupId, Collection<SharePartitionKey> keys) {
            Map<SharePartitionKey, Errors> answers = new HashMap<>();
            keys.forEach(k -> answers.put(k, Errors.NONE));
            return answer("delete " + keys.size(), answers);
        }
    }

    /** Leaders as the test sets them; the topic exists once created. */
    private final class FakePlacement implements ShareStatePersister.Placement {
        final Map<SharePartitionKey, Integer> leaders = new HashMap<>();
        boolean topic = true;
        int created;

        @Override
        public int leaderOf(SharePartitionKey partition) {
            return topic ? leaders.getOrDefault(partition, -1) : -2;
        }

        @Override
        public CompletableFuture<Void> createTopic() {
            created++;
            topic = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<ShareStateStore> local() {
            return CompletableFuture.completedFuture(store(SELF));
        }

        @Override
        public ShareStatePersister.BatchStore remote(int brokerId) {
            return store(brokerId);
        }
    }

    private FakeStore store(int broker) {
        return stores.computeIfAbsent(broker, b -> new FakeStore());
    }

    @Test
    void aRequestFollowsThePartitionAsItMoves() {
        placement.leaders.put(key, 2);
        store(2).failures.add(new ShareStateException(Errors.NOT_COORDINATOR, "moving"));
        store(2).failures.add(new IOException("connection closed"));
        CompletableFuture<Void> written = persister.write(key, new ShareStateWrite(0, 3, -1, List.of()));
        assertThat(written).isNotDone();
        runNextTimer();
        assertThat(written).isNotDone();

        placement.leaders.put(key, SELF);
        runTimers();

        assertThat(written).isCompleted();
        assertThat(store(2).requests).as("tried twice at broker 2").containsExactly("write", "write");
        assertThat(store(SELF).requests)
                .as("then at this broker, which leads the partition now")
                .containsExactly("write");
    }

    @Test
    void aPartitionWithoutALeaderIsWaitedForAndAMissingTopicIsCreated() {
        placement.topic = false;
        CompletableFuture<Optional<PersistedShareState>> read = persister.read(key, 4);
        assertThat(placement.created).isEqualTo(1);
        assertThat(read).as("the new topic's partition has no leader yet").isNotDone();

        placement.leaders.put(key, 3);
        runTimers();

        assertThat(read.join()).contains(new PersistedShareState(0, 4, 5, List.of()));
    }

    @Test
    void aRefusalIsAnsweredAtOnce() {
        placement.leaders.put(key, 2);
        store(2).failures.add(new ShareStateException(Errors.FENCED_LEADER_EPOCH, "a later leader read it"));
        CompletableFuture<Void> written = persister.write(key, new ShareStateWrite(0, 3, -1, List.of()));
        runTimers();
        assertThat(ShareCoordinator.errorFor(catchThrowable(written::join))).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(store(2).requests).hasSize(1);
    }

    @Test
    void itGivesUpOnceItsTimeoutHasPassed() {
        CompletableFuture<Void> initialized = persister.initialize(key, 0, 0);
        runTimers();
        assertThat(ShareCoordinator.errorFor(catchThrowable(initialized::join)))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(clock.nowMs() - 1_000).isBetween(TIMEOUT_MS - 1_000, TIMEOUT_MS);
    }

    @Test
    void administrationTakesOneRequestPerBrokerAndRetriesWhatItMissed() {
        List<SharePartitionKey> keys = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            SharePartitionKey k = new SharePartitionKey("g", key.topicId(), p);
            keys.add(k);
            placement.leaders.put(k, p % 2 == 0 ? 2 : 3);
        }
        ShareStateSummary summary = new ShareStateSummary(0, 1, 10, 2);
        store(2).summaries.put(keys.get(0), summary);
        store(2).summaries.put(keys.get(2), summary);
        store(3).summaries.put(keys.get(1), summary);
        // keys.get(3) is not answered in broker 3's batch (NOT_COORDINATOR): asked again on its own.
        placement.leaders.put(keys.get(3), SELF);

        Map<SharePartitionKey, Optional<ShareStateSummary>> summaries =
                persister.summaries("g", keys).join();

        assertThat(summaries).hasSize(4);
        assertThat(summaries.get(keys.get(0))).contains(summary);
        assertThat(summaries.get(keys.get(3))).as("nothing there").isEmpty();
        assertThat(store(2).requests).containsExactly("summaries of 2");
        assertThat(store(3).requests).containsExactly("summaries of 1");
        assertThat(store(SELF).requests).containsExactly("summary");

        persister.deleteAll("g", keys.subList(0, 3)).join();
        assertThat(store(2).requests).endsWith("delete 2");
        assertThat(store(3).requests).endsWith("delete 1");
    }
}
