package io.wharf.metadata.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

/** Ratis tries a request again only when it failed fast, a bounded number of times; never one that timed out. */
class QuorumClientRetryTest {

    private static boolean retried(int attempt, Throwable cause) {
        RetryPolicy.Event event = new RetryPolicy.Event() {
            @Override
            public int getAttemptCount() {
                return attempt;
            }

            @Override
            public Throwable getCause() {
                return cause;
            }
        };
        return QuorumClient.RETRY_POLICY.handleAttemptFailure(event).shouldRetry();
    }

    @Test
    void aRequestThatTimedOutIsNotSentAgain() {
        assertThat(retried(1, new TimeoutIOException("no reply"))).isFalse();
        assertThat(retried(1, new CompletionException(new TimeoutIOException("no reply"))))
                .isFalse();
    }

    @Test
    void aRequestThatFailedFastIsTriedAgainUpToTheBound() {
        assertThat(retried(1, new IOException("connection refused"))).isTrue();
        assertThat(retried(QuorumClient.ATTEMPTS_MAX - 1, new IOException("connection refused")))
                .isTrue();
        assertThat(retried(QuorumClient.ATTEMPTS_MAX, new IOException("connection refused")))
                .isFalse();
    }
}
