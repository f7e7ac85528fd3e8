package io.wharf.coordinator.share;

import static io.wharf.coordinator.share.ShareFixture.ack;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * A share-partition leader's computes change no durable state on any path: fetches with and without
 * acknowledgements (accept, release, reject, renew, refused), a member's records given back, locks and delays running
 * out, dead-letter copies written, a reset that fences the leader, and the first fetch that creates the
 * share-partition. A shadow share-partition replays exactly what the leader wrote to the persister; the leader's
 * durable state (start offset and record states) must equal it whenever a write leaves (so compute changed nothing)
 * and after every operation (so the leader replayed what it wrote and nothing else), and the share coordinator must
 * hold the same. What a fetch reads of the log (batches, due times) is soft and may change as it computes.
 */
class ShareComputePurityTest {

    private static final ShareGroupConfig CONFIG = new ShareGroupConfig(
            45_000, 5_000, 30_000, 3, 100, new OffsetReset(OffsetReset.Kind.EARLIEST, null), "dlq.queue", false);

    private final ShareFixture fixture = new ShareFixture();
    private final List<String> checkedWrites = new ArrayList<>();
    private SharePartition shadow;
    private String operation = "start";

    /** Records what the leader reads and writes into the shadow, checking the leader at every write. */
    private final class CheckingPersister implements SharePersister {
        private final SharePersister delegate = fixture.coordinator;

        @Override
        public CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
            return delegate.read(key, leaderEpoch).thenApply(state -> {
                shadow = state.map(s -> {
                            SharePartition copy = new SharePartition(key, s.startOffset());
                            copy.replace(s.startOffset(), s.runs());
                            return copy;
                        })
                        .orElse(null);
                return state;
            });
        }

        @Override
        public CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write) {
            assertSameAsShadow("compute of " + operation + " (before its write is replayed)");
            checkedWrites.add(operation);
            return delegate.write(key, write).thenRun(() -> shadow.update(write.startOffset(), write.runs()));
        }

        @Override
        public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
            return delegate.initialize(key, stateEpoch, startOffset);
        }
    }

    {
        fixture.config(CONFIG);
        fixture.leaders.close();
        fixture.leaders = fixture.leaders(new CheckingPersister());
    }

    private static List<Object> durable(SharePartition partition) {
        return partition == null ? List.of() : List.of(partition.startOffset(), partition.snapshotRuns());
    }

    private void assertSameAsShadow(String when) {
        SharePartitionLeader leader = fixture.leaders.leader(fixture.key());
        SharePartition live = leader == null ? null : leader.partition();
        if (live != null) {
            assertThat(durable(live)).as(when).isEqualTo(durable(shadow));
        }
    }

    private void assertReplayed(String when) {
        assertSameAsShadow("after " + when);
        if (shadow != null) {
            PersistedShareState held =
                    fixture.coordinator.read(fixture.key(), 0).join().orElseThrow();
            assertThat(List.of(held.startOffset(), held.runs()))
                    .as("the share coordinator after " + when)
                    .isEqualTo(durable(shadow));
        }
    }

    private FetchOutcome fetch(String member, int maxRecords, Acknowledgement... acks) {
        operation = "fetch " + maxRecords + " as " + member + " with " + acks.length + " acks";
        FetchOutcome outcome = fixture.fetch(member, maxRecords, acks);
        assertReplayed(operation);
        return outcome;
    }

    private void advance(long ms) {
        operation = "timers after " + ms + " ms";
        fixture.advance(ms);
        assertReplayed(operation);
    }

    @Test
    void everyShareStatePathComputesWithoutChangingDurableState() {
        fixture.append(10);
        fixture.append(5);
        long now = fixture.clock.nowMs();
        fixture.appendRecord(now + 10_000, -1, 0);
        fixture.appendRecord(-1, now - 1, 0);

        assertThat(fetch("a", 4).acquired())
                .as("the first fetch creates the share-partition")
                .containsExactly(new AcquiredRecords(0, 3, 1));
        assertThat(fetch("b", 100).acquired())
                .as("the delayed record waits; the expired one is archived")
                .containsExactly(new AcquiredRecords(4, 14, 1));

        FetchOutcome acked = fetch(
                "a",
                0,
                ack(0, 0, AcknowledgeType.ACCEPT),
                ack(1, 1, AcknowledgeType.RELEASE),
                ack(2, 2, AcknowledgeType.REJECT),
                ack(3, 3, AcknowledgeType.RENEW));
        assertThat(acked.ackError()).isEqualTo(Errors.NONE);
        assertThat(fixture.deadLettered)
                .as("the rejected and the expired record are copied to the dead-letter topic")
                .hasSize(2);
        assertThat(fetch("c", 1, ack(5, 5, AcknowledgeType.ACCEPT)).ackError())
                .as("refused: c does not hold offset 5")
                .isEqualTo(Errors.INVALID_RECORD_STATE);

        operation = "release b";
        fixture.leaders.releaseMember(ShareFixture.GROUP, "b", true).join();
        assertReplayed(operation);
        advance(10_001);
        assertThat(fetch("c", 100).acquired())
                .as("b's records, given back, and the delayed record, now due")
                .isNotEmpty();
        advance(CONFIG.lockDurationMs() + 1);

        fixture.reset(12);
        assertThat(fetch("d", 100).acquired())
                .as("the leader's write was fenced by the reset; it read the state again and ran the fetch on it")
                .containsExactly(new AcquiredRecords(12, 15, 1));

        assertThat(checkedWrites)
                .as("timers and dead-letter completions wrote, and were checked, too")
                .anyMatch(name -> name.startsWith("timers"))
                .anyMatch(name -> name.startsWith("fetch 0 as a"))
                .anyMatch(name -> name.equals("release b"));
    }
}
