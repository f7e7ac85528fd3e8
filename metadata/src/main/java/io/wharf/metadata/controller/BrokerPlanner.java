package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataError;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.BrokerState;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.BrokerStateRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.RegisterBrokerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * What broker registrations, heartbeats and expired sessions write. Pure: whether a broker's session is alive is soft
 * state of the active controller, passed in.
 *
 * <ul>
 *   <li><b>Registration.</b> The same incarnation registering again (a retry) gets its epoch back. Another
 *       incarnation replaces the registration if the old one's session has expired, or if it names the old one as the
 *       previous holder of its data directory: a process holds its directory's lock while it runs, so the old one is
 *       dead. Otherwise it is refused with DUPLICATE_BROKER_REGISTRATION, so two live processes with one node id are
 *       never both registered. Replacing a registration takes the old one out of every partition first.
 *   <li><b>Heartbeat.</b> A fenced broker whose metadata has reached its registration (or last change) is unfenced
 *       and takes the leaderless partitions it is in sync for. An active broker asking to shut down moves to
 *       SHUTTING_DOWN: out of placement and Metadata, its leaderships moved to other in-sync replicas; once its
 *       metadata shows that, it is fenced and told it may stop.
 *   <li><b>Expiry.</b> An active or shutting-down broker whose session expired is fenced and taken out of every
 *       partition.
 * </ul>
 */
final class BrokerPlanner {

    private final boolean uncleanDefault;

    BrokerPlanner(boolean uncleanDefault) {
        this.uncleanDefault = uncleanDefault;
    }

    Change<RegistrationResult> register(MetadataImage image, BrokerRegistration request, boolean sessionAlive) {
        BrokerImage existing = image.brokers().get(request.brokerId());
        if (existing != null && existing.incarnationId().equals(request.incarnationId())) {
            return Change.of(new RegistrationResult(existing.epoch(), null, null));
        }
        List<MetadataRecord> records = new ArrayList<>();
        if (existing != null) {
            boolean provenDead = existing.incarnationId().equals(request.previousIncarnationId());
            if (sessionAlive && !provenDead) {
                return Change.of(RegistrationResult.refused(
                        MetadataError.DUPLICATE_BROKER_REGISTRATION,
                        "Another process is registered as broker " + request.brokerId()
                                + " and its session is alive (incarnation " + existing.incarnationId() + ")"));
            }
            records.addAll(PartitionChanges.withoutBroker(
                    image, request.brokerId(), canLead(image, request.brokerId()), uncleanDefault));
        }
        long epoch = image.nextBrokerEpoch();
        records.add(new RegisterBrokerRecord(
                request.brokerId(), request.incarnationId(), epoch, request.endpoints(), request.rack()));
        return new Change<>(records, new RegistrationResult(epoch, null, null));
    }

    Change<HeartbeatResult> heartbeat(MetadataImage image, BrokerHeartbeat request) {
        BrokerImage broker = image.brokers().get(request.brokerId());
        if (broker == null || broker.epoch() != request.brokerEpoch()) {
            return Change.of(HeartbeatResult.refused(
                    MetadataError.STALE_BROKER_EPOCH,
                    "Broker " + request.brokerId() + " epoch " + request.brokerEpoch() + " is not registered"
                            + (broker == null ? "" : "; the registration now has epoch " + broker.epoch())));
        }
        boolean caughtUp = request.metadataOffset() >= broker.stateOffset();
        int id = request.brokerId();
        return switch (broker.state()) {
            case FENCED -> {
                if (request.wantShutDown()) {
                    yield Change.of(new HeartbeatResult(true, true, null, null));
                }
                if (!caughtUp) {
                    yield Change.of(new HeartbeatResult(true, false, null, null));
                }
                List<MetadataRecord> records = new ArrayList<>();
                records.add(new BrokerStateRecord(id, broker.epoch(), BrokerState.ACTIVE));
                records.addAll(PartitionChanges.electLeaderless(image, id, uncleanDefault));
                yield new Change<>(records, new HeartbeatResult(false, false, null, null));
            }
            case ACTIVE -> {
                if (!request.wantShutDown()) {
                    yield Change.of(new HeartbeatResult(false, false, null, null));
                }
                List<MetadataRecord> records = new ArrayList<>();
                records.add(new BrokerStateRecord(id, broker.epoch(), BrokerState.SHUTTING_DOWN));
                records.addAll(PartitionChanges.withoutBroker(image, id, canLead(image, id), uncleanDefault));
                yield new Change<>(records, new HeartbeatResult(false, false, null, null));
            }
            case SHUTTING_DOWN -> {
                if (!caughtUp) {
                    yield Change.of(new HeartbeatResult(false, false, null, null));
                }
                yield new Change<>(
                        List.of(new BrokerStateRecord(id, broker.epoch(), BrokerState.FENCED)),
                        new HeartbeatResult(true, true, null, null));
            }
        };
    }

    /** Fences broker {@code brokerId} (registration {@code epoch}) whose session expired; nothing if it is fenced. */
    Change<Void> expire(MetadataImage image, int brokerId, long epoch) {
        BrokerImage broker = image.brokers().get(brokerId);
        if (broker == null || broker.epoch() != epoch || broker.isFenced()) {
            return Change.of(null);
        }
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new BrokerStateRecord(brokerId, epoch, BrokerState.FENCED));
        records.addAll(PartitionChanges.withoutBroker(image, brokerId, canLead(image, brokerId), uncleanDefault));
        return new Change<>(records, null);
    }

    private static IntPredicate canLead(MetadataImage image, int leaving) {
        return broker -> broker != leaving && image.isActive(broker);
    }
}
