package io.wharf.server.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.ManualTimer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * While the producer's last transaction is being marked (CONCURRENT_TRANSACTIONS), the leader asks the coordinator
 * again after 1 ms, then 2, 4 ... 64 ms; still marking after that → NOT_ENOUGH_REPLICAS, which the producer retries.
 */
class TransactionVerifierTest {

    private final ManualTimer timer = new ManualTimer();
    private final TransactionVerifier verifier = new TransactionVerifier(1, null, null, null, timer);
    private final List<Long> askedAtMs = new ArrayList<>();
    private long nowMs;

    /** An attempt that answers the queued errors in turn, noting when it was asked. */
    private java.util.function.Supplier<CompletableFuture<Errors>> answering(Errors... answers) {
        Deque<Errors> queue = new ArrayDeque<>(List.of(answers));
        return () -> {
            askedAtMs.add(nowMs);
            return CompletableFuture.completedFuture(queue.size() > 1 ? queue.poll() : queue.peek());
        };
    }

    private void advance(long ms) {
        for (long i = 0; i < ms; i++) {
            nowMs++;
            timer.advanceMs(1);
        }
    }

    @Test
    void asksAgainAfterOneThenTwoMillisecondsAndAnswersWhatTheCoordinatorSaysThen() {
        CompletableFuture<Errors> answer = verifier.retryWhileEnding(
                answering(Errors.CONCURRENT_TRANSACTIONS, Errors.CONCURRENT_TRANSACTIONS, Errors.NONE));

        assertThat(answer).isNotDone();
        assertThat(timer.waitingDelayMs()).isEqualTo(1);
        advance(1);
        assertThat(timer.waitingDelayMs()).isEqualTo(2);
        advance(2);

        assertThat(answer).isCompletedWithValue(Errors.NONE);
        assertThat(askedAtMs).containsExactly(0L, 1L, 3L);
    }

    @Test
    void aTransactionStillBeingMarkedAfterSevenRetriesIsAnsweredRetriably() {
        CompletableFuture<Errors> answer = verifier.retryWhileEnding(answering(Errors.CONCURRENT_TRANSACTIONS));

        advance(126);
        assertThat(answer).isNotDone();
        advance(1);

        assertThat(answer).isCompletedWithValue(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(askedAtMs).containsExactly(0L, 1L, 3L, 7L, 15L, 31L, 63L, 127L);
        assertThat(timer.waitingDelayMs()).isEqualTo(-1);
    }

    @Test
    void anyOtherAnswerEndsTheRetriesAtOnce() {
        assertThat(verifier.retryWhileEnding(answering(Errors.INVALID_TXN_STATE)))
                .isCompletedWithValue(Errors.INVALID_TXN_STATE);
        assertThat(verifier.retryWhileEnding(() -> CompletableFuture.failedFuture(new IllegalStateException("down"))))
                .isCompletedWithValue(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(timer.waitingDelayMs()).isEqualTo(-1);
    }
}
