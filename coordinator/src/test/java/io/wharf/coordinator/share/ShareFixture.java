package io.wharf.coordinator.share;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.ManualTimer;
import io.wharf.coordinator.runtime.MemoryWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A share-partition leader and the share coordinator it persists to, with everything around them in memory: one
 * partition log of batches with queue attributes, the coordinator's records kept in lists, a manual clock and timer,
 * and every operation run on the calling thread.
 */
final class ShareFixture {

    static final String GROUP = "queue";
    static final int BATCH_BYTES = 1_000;

    /** One record as the fake log holds it. */
    record LogRecord(long offset, long dueAtMs, long expiresAtMs, int priority) {}

    /** One batch of the fake log. */
    record LogBatch(long baseOffset, long lastOffset, boolean control, List<LogRecord> records) {}

    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final MemoryWriter writer = new MemoryWriter();
    final TopicId topic = TopicId.random();
    final List<LogBatch> batches = new ArrayList<>();
    final Map<String, ShareGroupConfig> configs = new HashMap<>();
    final List<List<DeadLetters.Letter>> deadLettered = new ArrayList<>();
    final List<SharePartitionKey> woken = new ArrayList<>();
    /** The partition log of {@link #topic}, as the share coordinator reads it. */
    final ShareLog log = new FakeLog();

    long logStart;
    long highWatermark;
    /** The leader epoch of the data partition; the fake log is led here while it is not negative. */
    int leaderEpoch;

    ManualTimer timer = new ManualTimer(clock);
    /** The share coordinator: the durable state. */
    ShareCoordinator coordinator;
    /** The share-partition leader of the data partition. */
    SharePartitionManager leaders;

    /** Update records per share-partition between two whole-state records. */
    final int updatesPerSnapshot;

    ShareFixture() {
        this(ShareCoordinator.DEFAULT_UPDATES_PER_SNAPSHOT);
    }

    ShareFixture(int updatesPerSnapshot) {
        this.updatesPerSnapshot = updatesPerSnapshot;
        config(new ShareGroupConfig(
                45_000, 5_000, 30_000, 3, 100, new OffsetReset(OffsetReset.Kind.EARLIEST, null), null, false));
        start();
    }

    private void start() {
        coordinator = new ShareCoordinator(1, writer, Runnable::run, timer, 1L << 30, updatesPerSnapshot);
        coordinator.loadAll().join();
        leaders = leaders(coordinator);
    }

    /** Another share-partition leader over the same coordinator, with its own persister. */
    SharePartitionManager leaders(SharePersister persister) {
        return new SharePartitionManager(persister, log, configs::get, this::deadLetter, Runnable::run, timer, clock);
    }

    /** A fresh coordinator and leader that replay what these wrote, as after a restart. */
    void restart() {
        leaders.close();
        coordinator.close();
        timer = new ManualTimer(clock);
        start();
    }

    void config(ShareGroupConfig config) {
        configs.put(GROUP, config);
    }

    SharePartitionKey key() {
        return new SharePartitionKey(GROUP, topic, 0);
    }

    /** Appends a batch of {@code count} plain records. */
    void append(int count) {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new LogRecord(highWatermark + i, -1, -1, 0));
        }
        appendBatch(records);
    }

    /** Appends one record with queue attributes, in a batch of its own. */
    void appendRecord(long dueAtMs, long expiresAtMs, int priority) {
        appendBatch(List.of(new LogRecord(highWatermark, dueAtMs, expiresAtMs, priority)));
    }

    private void appendBatch(List<LogRecord> records) {
        long base = highWatermark;
        batches.add(new LogBatch(base, base + records.size() - 1, false, records));
        highWatermark = base + records.size();
    }

    /** Moves the clock and runs every timer that came due. */
    void advance(long ms) {
        clock.advanceMs(ms);
        timer.runDue(clock.nowMs());
    }

    FetchOutcome fetch(String member, int maxRecords, Acknowledgement... acks) {
        return leaders.fetch(new FetchCommand(key(), member, List.of(acks), true, maxRecords, Long.MAX_VALUE, false))
                .join();
    }

    static Acknowledgement ack(long first, long last, AcknowledgeType type) {
        return new Acknowledgement(first, last, new byte[] {type.id()});
    }

    /** The start offset the share coordinator holds. */
    long startOffset() {
        return summary().startOffset();
    }

    ShareStateSummary summary() {
        return coordinator.summary(key()).join().orElseThrow();
    }

    /** Resets the share-partition to {@code offset} in a new state epoch, as AlterShareGroupOffsets does. */
    void reset(long offset) {
        coordinator.initialize(key(), summary().stateEpoch() + 1, offset).join();
    }

    private CompletableFuture<Void> deadLetter(SharePartitionKey source, String topicName, List<DeadLetters.Letter> l) {
        deadLettered.add(List.copyOf(l));
        return CompletableFuture.completedFuture(null);
    }

    private final class FakeLog implements ShareLog {
        @Override
        public Optional<Bounds> bounds(TopicId id, int partition, boolean readCommitted) {
            return id.equals(topic) && partition == 0 && leaderEpoch >= 0
                    ? Optional.of(new Bounds("orders", logStart, highWatermark, leaderEpoch, readCommitted))
                    : Optional.empty();
        }

        @Override
        public long offsetForTimestamp(TopicId id, int partition, long timestampMs) {
            return -1;
        }

        @Override
        public void scan(TopicId id, int partition, long from, long to, boolean readCommitted, Visitor visitor) {
            for (LogBatch batch : batches) {
                if (batch.lastOffset() < from || batch.baseOffset() >= to) {
                    continue;
                }
                boolean more = visitor.batch(batch.baseOffset(), batch.lastOffset(), BATCH_BYTES, batch.control());
                for (LogRecord record : batch.records()) {
                    visitor.record(record.offset(), record.dueAtMs(), record.expiresAtMs(), record.priority());
                }
                if (!more) {
                    return;
                }
            }
        }
    }
}
