package io.wharf.metadata.raft;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * Reaches the metadata quorum from any node: a request goes to the query handler of the quorum's leader (Ratis finds
 * it and follows it when it moves) or of a named controller. Used to forward changes to the active controller.
 *
 * <p>Each request is tried by Ratis a bounded number of times ({@link #ATTEMPTS_MAX}), and one that times out is
 * not tried again at all: the caller ({@code RemoteController}) owns the deadline and decides whether to send again.
 * Ratis's client drops and reopens its gRPC channel to a server before it retries an attempt that timed out (or lost
 * its connection), and only then: a request it does not retry leaves the channel alone. A policy that retried timeouts
 * for the whole request timeout turned an overloaded leader into thousands of new channels and re-sends, each adding
 * to the load that made the requests time out.
 *
 * <p>Thread-safe.
 */
public final class QuorumClient implements AutoCloseable {

    private static final long RETRY_SLEEP_MS = 100;
    /** Attempts Ratis makes of one request, the first included: enough to follow a leader that moved. */
    static final int ATTEMPTS_MAX = 3;

    /** Retries what failed fast (not the leader, a refused connection) a few times; never a request that timed out. */
    static final RetryPolicy RETRY_POLICY = event -> {
        if (timedOut(event.getCause()) || event.getAttemptCount() >= ATTEMPTS_MAX) {
            return RetryPolicy.NO_RETRY_ACTION;
        }
        return () -> TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS);
    };

    private final RaftClient client;

    public QuorumClient(QuorumConfig config) {
        this.client = RaftClient.newBuilder()
                .setRaftGroup(Ratis.group(config))
                .setProperties(Ratis.clientProperties(config))
                .setRetryPolicy(RETRY_POLICY)
                .build();
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutIOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends {@code request} to the leader, or to controller {@code nodeId} when it is not negative. The leader
     * answers once its lease (or a round of heartbeats) shows it still leads.
     */
    public CompletableFuture<byte[]> ask(byte[] request, int nodeId) {
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(request));
        // Unordered: requests are independent, so one that waits out a dead leader must not hold up the next.
        CompletableFuture<RaftClientReply> reply = nodeId < 0
                ? client.async().sendReadOnlyUnordered(message)
                : client.async().sendReadOnlyUnordered(message, Ratis.peerId(nodeId));
        return reply.thenApply(r -> {
            if (!r.isSuccess()) {
                throw new QuorumUnavailableException(
                        "the metadata quorum did not answer: " + r.getException(), r.getException());
            }
            return r.getMessage().getContent().toByteArray();
        });
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    /** The quorum could not be reached, or refused the request. */
    public static final class QuorumUnavailableException extends RuntimeException {
        QuorumUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
