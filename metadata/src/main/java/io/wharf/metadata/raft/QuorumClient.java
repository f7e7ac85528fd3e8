package io.wharf.metadata.raft;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * Reaches the metadata quorum from any node: a request goes to the query handler of the quorum's leader (Ratis finds
 * it and follows it when it moves) or of a named controller. Used to forward changes to the active controller.
 *
 * <p>Thread-safe.
 */
public final class QuorumClient implements AutoCloseable {

    private static final long RETRY_SLEEP_MS = 100;

    private final RaftClient client;

    public QuorumClient(QuorumConfig config) {
        int attempts = (int) Math.max(1, config.requestTimeoutMs() / RETRY_SLEEP_MS);
        this.client = RaftClient.newBuilder()
                .setRaftGroup(Ratis.group(config))
                .setProperties(Ratis.clientProperties(config))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        attempts, TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS)))
                .build();
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
