package io.wharf.metadata.controller;

import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.MetadataRecord;
import java.util.List;

/**
 * The controller's pure planners, as the replication simulation ({@code io.wharf.tests.simulation}) calls them. The
 * planners are package-private because only {@link QuorumController} runs them in production; this test class sits
 * in their package so that the simulation drives the very same decisions without widening their visibility.
 *
 * <p>Each method computes what the active controller would write for one request against {@code image}, and
 * changes nothing: the simulation applies the records itself.
 */
public final class ControllerPlans {

    /** The records a request writes and the answer it gives once they are committed. */
    public record Plan<T>(List<MetadataRecord> records, T result) {}

    private final BrokerPlanner brokers;

    /** @param uncleanDefault the static default of {@code unclean.leader.election.enable} */
    public ControllerPlans(boolean uncleanDefault) {
        this.brokers = new BrokerPlanner(uncleanDefault);
    }

    public Plan<RegistrationResult> register(MetadataImage image, BrokerRegistration request, boolean sessionAlive) {
        return plan(brokers.register(image, request, sessionAlive));
    }

    public Plan<HeartbeatResult> heartbeat(MetadataImage image, BrokerHeartbeat request) {
        return plan(brokers.heartbeat(image, request));
    }

    /** What fencing broker {@code brokerId} (registration {@code epoch}) writes when its session expired. */
    public List<MetadataRecord> expire(MetadataImage image, int brokerId, long epoch) {
        return brokers.expire(image, brokerId, epoch).records();
    }

    public Plan<List<IsrResult>> alterIsrs(MetadataImage image, List<IsrChange> changes) {
        return plan(PartitionChanges.alterIsrs(image, changes));
    }

    /** The preferred elections {@code auto.leader.rebalance.enable} writes. */
    public List<MetadataRecord> rebalance(MetadataImage image, int percentage) {
        return Reassignments.rebalance(image, percentage);
    }

    public Plan<List<PartitionResult>> reassign(MetadataImage image, List<Reassignment> requests) {
        return plan(Reassignments.alter(image, requests));
    }

    private static <T> Plan<T> plan(Change<T> change) {
        return new Plan<>(change.records(), change.result());
    }
}
