package io.wharf.coordinator.group;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.ManualTimer;
import io.wharf.coordinator.runtime.MemoryWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
    private final ShareGroupSettings shareSettings;

    CoordinatorFixture(GroupConfig config) {
        this(config, 1 << 30);
    }

    /** A coordinator that rewrites its partition as a snapshot once it holds {@code snapshotBytes}. */
    CoordinatorFixture(GroupConfig config, long snapshotBytes) {
        this(config, snapshotBytes, ShareGroupSettings.defaults());
    }

    /** A coordinator with the given share group settings. */
    CoordinatorFixture(GroupConfig config, long snapshotBytes, ShareGroupSettings shareSettings) {
        this.snapshotBytes = snapshotBytes;
        this.shareSettings = shareSettings;
        coordinator = new GroupCoordinator(
                1, writer, Runnable::run, timer, clock, config, topics, snapshotBytes, shareSettings);
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
                1, writer, Runnable::run, new ManualTimer(clock), clock, config, topics, snapshotBytes, shareSettings);
        again.loadAll().join();
        return again;
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
