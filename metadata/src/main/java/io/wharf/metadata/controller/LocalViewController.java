package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Controller} whose answers come only once this node's own metadata has caught up with them: a broker that
 * created a topic for a client knows the topic when the client asks for it next. If the node's metadata does not
 * catch up within {@code catchUpTimeoutMs}, the answer is given anyway. Thread-safe.
 */
public final class LocalViewController implements Controller {

    private final Controller delegate;
    private final MetadataPublisher publisher;
    private final long catchUpTimeoutMs;

    public LocalViewController(Controller delegate, MetadataPublisher publisher, long catchUpTimeoutMs) {
        this.delegate = delegate;
        this.publisher = publisher;
        this.catchUpTimeoutMs = catchUpTimeoutMs;
    }

    private <T> CompletableFuture<Committed<T>> caughtUp(CompletableFuture<Committed<T>> answer) {
        return answer.thenCompose(committed -> publisher
                .awaitOffset(committed.offset())
                .completeOnTimeout(null, catchUpTimeoutMs, TimeUnit.MILLISECONDS)
                .thenApply(v -> committed));
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> createTopics(List<NewTopic> topics, boolean validateOnly) {
        return caughtUp(delegate.createTopics(topics, validateOnly));
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> deleteTopics(List<TopicRef> topics) {
        return caughtUp(delegate.deleteTopics(topics));
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> createPartitions(
            List<NewPartitions> requests, boolean validateOnly) {
        return caughtUp(delegate.createPartitions(requests, validateOnly));
    }

    @Override
    public CompletableFuture<Committed<List<ChangeResult>>> alterConfigs(
            List<ConfigChange> changes, boolean validateOnly) {
        return caughtUp(delegate.alterConfigs(changes, validateOnly));
    }

    @Override
    public CompletableFuture<Committed<Long>> allocateProducerIds(int brokerId, int count) {
        return delegate.allocateProducerIds(brokerId, count);
    }

    @Override
    public CompletableFuture<Committed<RegistrationResult>> registerBroker(BrokerRegistration registration) {
        return delegate.registerBroker(registration);
    }

    @Override
    public CompletableFuture<Committed<HeartbeatResult>> heartbeat(BrokerHeartbeat heartbeat) {
        return delegate.heartbeat(heartbeat);
    }

    @Override
    public CompletableFuture<Committed<List<IsrResult>>> alterIsrs(List<IsrChange> changes) {
        return caughtUp(delegate.alterIsrs(changes));
    }

    @Override
    public CompletableFuture<Committed<io.wharf.metadata.MetadataLog.QuorumState>> describeQuorum() {
        return delegate.describeQuorum();
    }

    @Override
    public CompletableFuture<Committed<List<PartitionResult>>> alterReassignments(List<Reassignment> reassignments) {
        return caughtUp(delegate.alterReassignments(reassignments));
    }

    @Override
    public CompletableFuture<Committed<List<PartitionResult>>> electLeaders(
            LeaderElection election, List<PartitionRef> partitions) {
        return caughtUp(delegate.electLeaders(election, partitions));
    }
}
