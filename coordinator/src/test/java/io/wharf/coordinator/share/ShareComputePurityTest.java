package io.wharf.coordinator.share;

import static io.wharf.coordinator.share.ShareFixture.ack;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.coordinator.runtime.ComputeChecker;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.ManualTimer;
import io.wharf.coordinator.runtime.MemoryWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Compute changes no durable state on any share-partition path: fetches with and without acknowledgements (accept,
 * release, reject, renew), a member's records given back, locks and delays running out, dead-letter copies written,
 * resets and deletes each run through a {@link ComputeChecker}, which fails the test when the shard's durable state
 * (its snapshot: every share-partition's start offset and record states) differs from what its log says before
 * compute, after compute (before the records are replayed), or after the runtime replayed them. What a fetch reads
 * of the log (batches, due times) is soft and may change as it computes.
 */
class ShareComputePurityTest {

    private static final ShareGroupConfig CONFIG = new ShareGroupConfig(
            45_000, 5_000, 30_000, 3, 100, new OffsetReset(OffsetReset.Kind.EARLIEST, null), "dlq.queue");

    private final ShareFixture fixture = new ShareFixture();
    private final MemoryWriter writer = new MemoryWriter();
    private final ManualTimer timer = new ManualTimer(fixture.clock);
    private final List<List<DeadLetters.Letter>> deadLettered = new ArrayList<>();
    private final ComputeChecker<ShareCoordinatorShard> checker = new ComputeChecker<>(
            shard(ComputeChecker.replayOnly()),
            (live, shadow, message) -> assertThat(ComputeChecker.snapshotOf(live))
                    .as(message)
                    .isEqualTo(ComputeChecker.snapshotOf(shadow)));
    private final CoordinatorRuntime<ShareCoordinatorShard> runtime = new CoordinatorRuntime<>(
            "share coordinator", writer, context -> shard(checker.wrap(context)), Runnable::run, timer, 1L << 30);

    {
        fixture.config(CONFIG);
        runtime.load(0).join();
    }

    private ShareCoordinatorShard shard(CoordinatorRuntime.ShardContext<ShareCoordinatorShard> context) {
        return new ShareCoordinatorShard(
                context, fixture.clock, fixture.log, fixture.configs::get, this::deadLetter, key -> {});
    }

    private CompletableFuture<Void> deadLetter(SharePartitionKey source, String topic, List<DeadLetters.Letter> l) {
        deadLettered.add(List.copyOf(l));
        return CompletableFuture.completedFuture(null);
    }

    private <T> T call(String name, Function<ShareCoordinatorShard, CoordinatorResult<T>> op) {
        T answer = runtime.write(0, checker.checked(name, op)).join();
        assertReplayed(name);
        return answer;
    }

    private void assertReplayed(String when) {
        runtime.write(0, s -> {
                    checker.assertReplayed(s, when);
                    return CoordinatorResult.answer(null);
                })
                .join();
    }

    private void advance(long ms) {
        fixture.clock.advanceMs(ms);
        timer.runDue(fixture.clock.nowMs());
        assertReplayed("after " + ms + " ms");
    }

    private ShareCoordinatorShard.FetchOutcome fetch(String member, int maxRecords, Acknowledgement... acks) {
        ShareCoordinatorShard.FetchCommand command = new ShareCoordinatorShard.FetchCommand(
                fixture.key(), member, List.of(acks), true, maxRecords, Long.MAX_VALUE, false);
        return call("fetch " + maxRecords + " as " + member + " with " + acks.length + " acks", s -> s.fetch(command));
    }

    @Test
    void everyShareStatePathComputesWithoutChangingDurableState() {
        fixture.append(10);
        fixture.append(5);
        long now = fixture.clock.nowMs();
        fixture.appendRecord(now + 10_000, -1, 0);
        fixture.appendRecord(-1, now - 1, 0);
        SharePartitionKey key = fixture.key();

        Errors initialized = call("initialize", s -> s.initialize(key));
        assertThat(initialized).isEqualTo(Errors.NONE);
        assertThat(fetch("a", 4).acquired()).containsExactly(new AcquiredRecords(0, 3, 1));
        assertThat(fetch("b", 100).acquired())
                .as("the delayed record waits; the expired one is archived")
                .containsExactly(new AcquiredRecords(4, 14, 1));

        ShareCoordinatorShard.FetchOutcome acked = fetch(
                "a",
                0,
                ack(0, 0, AcknowledgeType.ACCEPT),
                ack(1, 1, AcknowledgeType.RELEASE),
                ack(2, 2, AcknowledgeType.REJECT),
                ack(3, 3, AcknowledgeType.RENEW));
        assertThat(acked.ackError()).isEqualTo(Errors.NONE);
        assertThat(deadLettered)
                .as("the rejected and the expired record are copied to the dead-letter topic")
                .hasSize(2);
        assertThat(fetch("c", 1, ack(5, 5, AcknowledgeType.ACCEPT)).ackError())
                .as("refused: c does not hold offset 5")
                .isEqualTo(Errors.INVALID_RECORD_STATE);

        call("release b", s -> s.releaseMember(ShareFixture.GROUP, "b", true));
        advance(10_001);
        assertThat(fetch("c", 100).acquired())
                .as("b's records, given back, and the delayed record, now due")
                .isNotEmpty();
        advance(CONFIG.lockDurationMs() + 1);

        List<ShareCoordinatorShard.Offsets> described =
                call("describe", s -> CoordinatorResult.answer(s.describe(k -> true)));
        assertThat(described).hasSize(1);
        Errors reset = call("reset", s -> s.reset(key, 12));
        assertThat(reset).isEqualTo(Errors.NONE);
        List<SharePartitionKey> deleted = call("delete", s -> s.delete(k -> true));
        assertThat(deleted).containsExactly(key);

        Set<String> written = new TreeSet<>();
        for (CoordinatorRecord record : checker.written()) {
            ShareRecords.Key decoded = ShareRecords.key(record.key());
            written.add((decoded.type() == ShareRecords.STATE ? "state" : "update")
                    + (record.isTombstone() ? " tombstone" : ""));
        }
        assertThat(written).containsExactly("state", "state tombstone", "update");
        assertThat(checker.checkedOperations())
                .as("timers and dead-letter completions were checked too")
                .anyMatch(name -> name.startsWith("timer share:"))
                .anyMatch(name -> name.equals("submitted"));
    }
}
