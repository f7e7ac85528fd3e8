package io.wharf.metadata.controller;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The changes brokers ask the metadata controller for. Every answer comes once the change's records are committed,
 * so a caller that then reads the metadata (after {@link Committed#offset()}) sees the change.
 *
 * <p>Implementations: {@link QuorumController} (the active controller itself) and whatever forwards to it from other
 * nodes. Thread-safe.
 */
public interface Controller {

    /** An answer, and the offset of the batch that made it true (-1 when nothing was written). */
    record Committed<T>(T result, long offset) {}

    /** Creates topics; with {@code validateOnly} only checks them. Each topic succeeds or fails on its own. */
    CompletableFuture<Committed<List<TopicResult>>> createTopics(List<NewTopic> topics, boolean validateOnly);

    /** Deletes topics by name or id. */
    CompletableFuture<Committed<List<TopicResult>>> deleteTopics(List<TopicRef> topics);

    /** Adds partitions to topics; with {@code validateOnly} only checks. */
    CompletableFuture<Committed<List<TopicResult>>> createPartitions(
            List<NewPartitions> requests, boolean validateOnly);

    /** Changes the settings of topics, brokers and groups; with {@code validateOnly} only checks. */
    CompletableFuture<Committed<List<ChangeResult>>> alterConfigs(List<ConfigChange> changes, boolean validateOnly);

    /**
     * Hands broker {@code brokerId} a block of {@code count} producer ids, unique cluster-wide and across restarts.
     *
     * @return the first id of the block
     */
    CompletableFuture<Committed<Long>> allocateProducerIds(int brokerId, int count);

    /** Registers a broker process; see {@link BrokerPlanner#register}. */
    CompletableFuture<Committed<RegistrationResult>> registerBroker(BrokerRegistration registration);

    /** A broker's periodic heartbeat; see {@link BrokerPlanner#heartbeat}. */
    CompletableFuture<Committed<HeartbeatResult>> heartbeat(BrokerHeartbeat heartbeat);

    /**
     * Partition leaders of one broker change their ISRs, in one write; each partition is answered on its own. See
     * {@link PartitionChanges#alterIsrs}.
     */
    CompletableFuture<Committed<List<IsrResult>>> alterIsrs(List<IsrChange> changes);

    /** The metadata quorum as its leader sees it: voters, their log ends and when each last fetched. */
    CompletableFuture<Committed<io.wharf.metadata.MetadataLog.QuorumState>> describeQuorum();

    /** Starts or cancels reassignments of partitions' replicas; see {@link Reassignments}. */
    CompletableFuture<Committed<List<PartitionResult>>> alterReassignments(List<Reassignment> reassignments);

    /**
     * Elects leaders of {@code partitions} (null: every partition, answering only for those that got one).
     */
    CompletableFuture<Committed<List<PartitionResult>>> electLeaders(
            LeaderElection election, List<PartitionRef> partitions);
}
