package io.wharf.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.controller.Controller.Committed;
import io.wharf.metadata.controller.IsrChange;
import io.wharf.metadata.controller.IsrResult;
import io.wharf.server.ManualTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A broker's ISR changes go to the controller in batches, one in flight; a newer change of a partition replaces the
 * one waiting; a batch that failed is sent again after a backoff on the timer; closing fails what was not answered.
 */
class ControllerIsrChannelTest {

    private static final TopicId T = new TopicId(7, 7);

    /** A batch the channel sent, answered when the test says so. */
    private record Sent(List<IsrChange> changes, CompletableFuture<Committed<List<IsrResult>>> answer) {

        void accept() {
            List<IsrResult> results = new ArrayList<>();
            for (IsrChange c : changes) {
                results.add(new IsrResult(c.topicId(), c.partition(), c.partitionEpoch() + 1, null, null));
            }
            answer.complete(new Committed<>(results, 10));
        }

        void answer(IsrResult... results) {
            answer.complete(new Committed<>(List.of(results), 10));
        }

        void fail() {
            answer.completeExceptionally(new IllegalStateException("no active controller answered"));
        }

        List<Integer> partitions() {
            return changes.stream().map(IsrChange::partition).toList();
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private final ManualTimer timer = new ManualTimer();
    private final ControllerIsrChannel channel = new ControllerIsrChannel(
            changes -> {
                CompletableFuture<Committed<List<IsrResult>>> answer = new CompletableFuture<>();
                sent.add(new Sent(changes, answer));
                return answer;
            },
            1,
            () -> 4,
            timer);

    private CompletableFuture<Void> change(int partition, int partitionEpoch, Integer... isr) {
        return channel.alterIsr(T, partition, 3, partitionEpoch, List.of(isr));
    }

    private static Throwable failure(CompletableFuture<Void> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void changesThatComeWhileABatchIsInFlightGoTogetherInTheNext() {
        CompletableFuture<Void> first = change(0, 5, 1, 2);
        CompletableFuture<Void> second = change(1, 5, 1, 3);
        CompletableFuture<Void> third = change(2, 5, 1);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).partitions()).containsExactly(0);
        assertThat(sent.get(0).changes().get(0)).isEqualTo(new IsrChange(1, 4, T, 0, 3, 5, List.of(1, 2)));

        sent.get(0).accept();
        assertThat(first).isCompleted();
        assertThat(second).isNotDone();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).partitions()).containsExactly(1, 2);

        sent.get(1).accept();
        assertThat(second).isCompleted();
        assertThat(third).isCompleted();
        assertThat(sent).hasSize(2);
        assertThat(channel.batchesSent()).isEqualTo(2);
    }

    @Test
    void eachPartitionOfABatchIsAnsweredOnItsOwn() {
        CompletableFuture<Void> blocker = change(9, 1, 1);
        CompletableFuture<Void> taken = change(0, 5, 1, 2);
        CompletableFuture<Void> refused = change(1, 5, 1, 3);
        sent.get(0).accept();
        assertThat(blocker).isCompleted();

        sent.get(1)
                .answer(
                        new IsrResult(T, 0, 6, null, null),
                        new IsrResult(T, 1, -1, MetadataError.INVALID_UPDATE_VERSION, "partition epoch 5 is stale"));
        assertThat(taken).isCompleted();
        assertThat(failure(refused)).hasMessageContaining("INVALID_UPDATE_VERSION");
    }

    @Test
    void aNewerChangeOfAPartitionReplacesTheWaitingOneAndAnswersBothCallers() {
        change(9, 1, 1);
        CompletableFuture<Void> older = change(0, 5, 1, 2);
        CompletableFuture<Void> newer = change(0, 6, 1, 2, 3);
        sent.get(0).accept();

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).changes()).containsExactly(new IsrChange(1, 4, T, 0, 3, 6, List.of(1, 2, 3)));
        sent.get(1).answer(new IsrResult(T, 0, -1, MetadataError.FENCED_LEADER_EPOCH, "fenced"));
        assertThat(failure(older)).hasMessageContaining("FENCED_LEADER_EPOCH");
        assertThat(failure(newer)).hasMessageContaining("FENCED_LEADER_EPOCH");
    }

    @Test
    void aFailedBatchIsSentAgainAfterABackoffThatDoublesUpToItsCap() {
        CompletableFuture<Void> answer = change(0, 5, 1, 2);
        long[] expected = {50, 100, 200, 400, 800, 1_600, 2_000, 2_000};
        for (int i = 0; i < expected.length; i++) {
            sent.get(sent.size() - 1).fail();
            assertThat(answer).isNotDone();
            assertThat(timer.waitingDelayMs()).isEqualTo(expected[i]);
            int before = sent.size();
            timer.advanceMs(expected[i] - 1);
            assertThat(sent).hasSize(before);
            timer.advanceMs(1);
            assertThat(sent).hasSize(before + 1);
            assertThat(sent.get(before).partitions()).containsExactly(0);
        }
        sent.get(sent.size() - 1).accept();
        assertThat(answer).isCompleted();

        change(1, 5, 1);
        sent.get(sent.size() - 1).fail();
        assertThat(timer.waitingDelayMs()).isEqualTo(ControllerIsrChannel.BACKOFF_MIN_MS);
    }

    @Test
    void aChangeThatComesDuringTheBackoffWaitsForItAndReplacesTheFailedOne() {
        CompletableFuture<Void> failed = change(0, 5, 1, 2);
        sent.get(0).fail();
        CompletableFuture<Void> newer = change(0, 6, 1);
        CompletableFuture<Void> other = change(1, 5, 1, 3);
        assertThat(sent).hasSize(1);

        timer.advanceMs(ControllerIsrChannel.BACKOFF_MIN_MS);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).changes())
                .containsExactlyInAnyOrder(
                        new IsrChange(1, 4, T, 0, 3, 6, List.of(1)), new IsrChange(1, 4, T, 1, 3, 5, List.of(1, 3)));
        sent.get(1).accept();
        assertThat(failed).isCompleted();
        assertThat(newer).isCompleted();
        assertThat(other).isCompleted();
    }

    @Test
    void closingFailsWhatWasNotAnsweredAndStopsTheRetries() {
        CompletableFuture<Void> inFlight = change(0, 5, 1, 2);
        CompletableFuture<Void> waiting = change(1, 5, 1);
        channel.close();
        assertThat(failure(inFlight)).hasMessageContaining("closed");
        assertThat(failure(waiting)).hasMessageContaining("closed");

        sent.get(0).fail();
        assertThat(timer.waitingDelayMs()).isEqualTo(-1);
        assertThat(failure(change(2, 5, 1))).hasMessageContaining("closed");
        assertThat(sent).hasSize(1);
    }

    @Test
    void closingDuringABackoffCancelsTheRetry() {
        CompletableFuture<Void> answer = change(0, 5, 1, 2);
        sent.get(0).fail();
        assertThat(timer.waitingDelayMs()).isEqualTo(ControllerIsrChannel.BACKOFF_MIN_MS);
        channel.close();
        assertThat(failure(answer)).hasMessageContaining("closed");
        assertThat(timer.waitingDelayMs()).isEqualTo(-1);
        timer.advanceMs(10_000);
        assertThat(sent).hasSize(1);
    }
}
