package io.wharf.metadata.controller;

import io.wharf.common.io.Bytes;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.NotLeaderException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The controller as a node that does not lead sees it: each change is sent to the leader's {@link ControllerService}
 * and answered from there. "Not the controller" (an election under way, or a stale idea of the leader) is tried again,
 * at the node named as leader when one is, until {@code timeoutMs} has passed. An attempt that gets no answer at all
 * is abandoned after {@link #attemptTimeoutMs} and the request sent again to whoever leads by then: a leader that is
 * frozen (a stopped process, a long pause) keeps its connections open and answers nothing, and waiting on it would
 * hold every heartbeat until every broker is fenced.
 *
 * <p>Thread-safe.
 */
public final class RemoteController implements Controller, AutoCloseable {

    private static final long RETRY_BACKOFF_MS = 50;
    private static final long ATTEMPT_TIMEOUT_MIN_MS = 1_000;

    private final ControllerTransport transport;
    private final long timeoutMs;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wharf-controller-forwarding");
        t.setDaemon(true);
        return t;
    });

    public RemoteController(ControllerTransport transport, long timeoutMs) {
        this.transport = transport;
        this.timeoutMs = timeoutMs;
    }

    /** How long one attempt may go unanswered: a third of the whole, but not under a second (nor over the whole). */
    long attemptTimeoutMs() {
        return Math.min(timeoutMs, Math.max(ATTEMPT_TIMEOUT_MIN_MS, timeoutMs / 3));
    }

    private <T> CompletableFuture<Committed<T>> call(byte[] request, Function<Bytes.Reader, T> decode) {
        CompletableFuture<Committed<T>> result = new CompletableFuture<>();
        attempt(request, decode, -1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), result);
        return result;
    }

    private <T> void attempt(
            byte[] request,
            Function<Bytes.Reader, T> decode,
            int target,
            long deadlineNanos,
            CompletableFuture<Committed<T>> result) {
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        CompletableFuture<byte[]> sent;
        try {
            sent = transport.send(request, target);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // A copy, so the timeout does not complete the transport's own future under it.
        sent.thenApply(reply -> reply)
                .orTimeout(Math.min(leftMs, attemptTimeoutMs()), TimeUnit.MILLISECONDS)
                .whenComplete((reply, failure) -> {
                    int next = -1;
                    String why;
                    if (failure == null) {
                        Bytes.Reader in = new Bytes.Reader(ByteBuffer.wrap(reply));
                        try {
                            int status = in.int8();
                            if (status == ControllerProtocol.ANSWERED) {
                                long offset = in.int64();
                                result.complete(new Committed<>(decode.apply(in), offset));
                                return;
                            }
                            if (status == ControllerProtocol.FAILED) {
                                result.completeExceptionally(
                                        new IllegalStateException("the controller failed: " + in.string()));
                                return;
                            }
                            next = in.int32();
                            why = "node " + (target < 0 ? "(leader)" : target) + " is not the active controller";
                        } catch (IllegalArgumentException e) {
                            result.completeExceptionally(new IllegalStateException("malformed controller answer", e));
                            return;
                        }
                    } else {
                        Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                        why = cause instanceof TimeoutException
                                ? "node " + (target < 0 ? "(leader)" : target) + " did not answer"
                                : String.valueOf(cause.getMessage());
                    }
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        result.completeExceptionally(new NotLeaderException(
                                "no active controller answered within " + timeoutMs + " ms: " + why, -1));
                        return;
                    }
                    int retryAt = next;
                    retries.schedule(
                            () -> attempt(request, decode, retryAt, deadlineNanos, result),
                            RETRY_BACKOFF_MS,
                            TimeUnit.MILLISECONDS);
                });
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> createTopics(List<NewTopic> topics, boolean validateOnly) {
        return call(ControllerProtocol.createTopics(topics, validateOnly), ControllerProtocol::readTopicResults);
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> deleteTopics(List<TopicRef> topics) {
        return call(ControllerProtocol.deleteTopics(topics), ControllerProtocol::readTopicResults);
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> createPartitions(
            List<NewPartitions> requests, boolean validateOnly) {
        return call(ControllerProtocol.createPartitions(requests, validateOnly), ControllerProtocol::readTopicResults);
    }

    @Override
    public CompletableFuture<Committed<List<ChangeResult>>> alterConfigs(
            List<ConfigChange> changes, boolean validateOnly) {
        return call(ControllerProtocol.alterConfigs(changes, validateOnly), ControllerProtocol::readChangeResults);
    }

    @Override
    public CompletableFuture<Committed<Long>> allocateProducerIds(int brokerId, int count) {
        return call(ControllerProtocol.producerIds(brokerId, count), Bytes.Reader::int64);
    }

    @Override
    public CompletableFuture<Committed<RegistrationResult>> registerBroker(BrokerRegistration registration) {
        return call(ControllerProtocol.registerBroker(registration), ControllerProtocol::readRegistrationResult);
    }

    @Override
    public CompletableFuture<Committed<HeartbeatResult>> heartbeat(BrokerHeartbeat heartbeat) {
        return call(ControllerProtocol.heartbeat(heartbeat), ControllerProtocol::readHeartbeatResult);
    }

    @Override
    public CompletableFuture<Committed<List<IsrResult>>> alterIsrs(List<IsrChange> changes) {
        return call(ControllerProtocol.alterIsrs(changes), ControllerProtocol::readIsrResults);
    }

    @Override
    public CompletableFuture<Committed<MetadataLog.QuorumState>> describeQuorum() {
        return call(ControllerProtocol.describeQuorum(), ControllerProtocol::readQuorumState);
    }

    @Override
    public CompletableFuture<Committed<List<PartitionResult>>> alterReassignments(List<Reassignment> reassignments) {
        return call(ControllerProtocol.alterReassignments(reassignments), ControllerProtocol::readPartitionResults);
    }

    @Override
    public CompletableFuture<Committed<List<PartitionResult>>> electLeaders(
            LeaderElection election, List<PartitionRef> partitions) {
        return call(ControllerProtocol.electLeaders(election, partitions), ControllerProtocol::readPartitionResults);
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
