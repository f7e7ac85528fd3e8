package io.wharf.coordinator.group;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.runtime.PartitionWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * A group coordinator with everything around it in memory: records kept in lists, commits immediate, a manual clock
 * and timer, and every operation run on the calling thread, so a test drives time and sees each step.
 */
final class CoordinatorFixture {

    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final MemoryWriter writer = new MemoryWriter();
    final ManualTimer timer = new ManualTimer(clock);
    final FakeTopics topics = new FakeTopics();
    final GroupCoordinator coordinator;
    private final long snapshotBytes;

    CoordinatorFixture(GroupConfig config) {
        this(config, 1 << 30);
    }

    /** A coordinator that rewrites its partition as a snapshot once it holds {@code snapshotBytes}. */
    CoordinatorFixture(GroupConfig config, long snapshotBytes) {
        this.snapshotBytes = snapshotBytes;
        coordinator = new GroupCoordinator(1, writer, Runnable::run, timer, clock, config, topics, snapshotBytes);
        coordinator.loadAll().join();
    }

    /** Moves the clock and runs every timer that came due, in order. */
    void advance(long ms) {
        clock.advanceMs(ms);
        timer.runDue(clock.nowMs());
    }

    /** A fresh coordinator that replays what this one wrote, as after a restart. */
    GroupCoordinator restarted(GroupConfig config) {
        GroupCoordinator again = new GroupCoordinator(
                1, writer, Runnable::run, new ManualTimer(clock), clock, config, topics, snapshotBytes);
        again.loadAll().join();
        return again;
    }

    static final class MemoryWriter implements PartitionWriter {
        final Map<Integer, List<CoordinatorRecord>> partitions = new HashMap<>();
        long startOffset;

        List<CoordinatorRecord> records(int partition) {
            return partitions.computeIfAbsent(partition, p -> new ArrayList<>());
        }

        @Override
        public long append(int partition, List<CoordinatorRecord> records) {
            records(partition).addAll(records);
            return startOffset + records(partition).size();
        }

        @Override
        public CompletableFuture<Void> awaitCommitted(int partition, long offset) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void read(int partition, RecordConsumer consumer) {
            List<CoordinatorRecord> records = records(partition);
            for (int i = 0; i < records.size(); i++) {
                consumer.accept(startOffset + i, records.get(i));
            }
        }

        @Override
        public long sizeInBytes(int partition) {
            return records(partition).stream()
                    .mapToLong(r -> r.key().length + (r.value() == null ? 0 : r.value().length))
                    .sum();
        }

        @Override
        public void deleteRecordsBefore(int partition, long offset) {
            List<CoordinatorRecord> records = records(partition);
            int drop = (int) (offset - startOffset);
            records.subList(0, drop).clear();
            startOffset = offset;
        }
    }

    /** Timers due on the manual clock; {@link #runDue(long)} runs those that came due, earliest first. */
    static final class ManualTimer implements CoordinatorTimer {
        private record Task(long due, long sequence, Runnable run, boolean[] cancelled) {}

        private final ManualClock clock;
        private final PriorityQueue<Task> tasks = new PriorityQueue<>(
                (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
        private long sequence;

        ManualTimer(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public Scheduled schedule(long delayMs, Runnable task) {
            boolean[] cancelled = {false};
            tasks.add(new Task(clock.nowMs() + delayMs, sequence++, task, cancelled));
            return () -> cancelled[0] = true;
        }

        void runDue(long nowMs) {
            while (!tasks.isEmpty() && tasks.peek().due <= nowMs) {
                Task task = tasks.poll();
                if (!task.cancelled[0]) {
                    task.run.run();
                }
            }
        }
    }

    static final class FakeTopics implements TopicsView {
        private final Map<String, TopicInfo> byName = new HashMap<>();

        TopicId add(String name, int partitions) {
            TopicId id = TopicId.random();
            byName.put(name, new TopicInfo(name, id, partitions));
            return id;
        }

        @Override
        public Optional<TopicInfo> topic(String name) {
            return Optional.ofNullable(byName.get(name));
        }

        @Override
        public Optional<TopicInfo> topic(TopicId id) {
            return byName.values().stream().filter(t -> t.id().equals(id)).findFirst();
        }

        @Override
        public Collection<TopicInfo> all() {
            return byName.values();
        }
    }
}
