package io.wharf.metadata.controller;

import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Leader elections and ISR changes, as the partition records they write. Pure functions of the image.
 *
 * <p>The rules: a leader is always a member of the ISR; elections prefer replicas in their assignment order (the
 * first is the preferred leader); a broker leaving takes itself out of every ISR it is in, except where it is the
 * last member, which it stays, so that it (and only it) can be elected cleanly when it comes back; a partition whose
 * ISR has nobody who can lead has no leader ({@link PartitionRecord#NO_LEADER}). Every change moves the partition
 * epoch; a change of leader also moves the leader epoch.
 */
public final class PartitionChanges {

    private PartitionChanges() {}

    /** {@code p} with a new ISR and leader, epochs moved as the change requires. */
    public static PartitionRecord changed(TopicId topicId, PartitionImage p, List<Integer> isr, int leader) {
        int leaderEpoch = leader != p.leader() ? p.leaderEpoch() + 1 : p.leaderEpoch();
        return new PartitionRecord(
                topicId,
                p.partition(),
                p.replicas(),
                isr,
                leader,
                leaderEpoch,
                p.partitionEpoch() + 1,
                p.addingReplicas(),
                p.removingReplicas());
    }

    /** {@code p} with the same ISR and leader but a new leader epoch: the leader's log may have changed under it. */
    public static PartitionRecord bumped(TopicId topicId, PartitionImage p) {
        return new PartitionRecord(
                topicId,
                p.partition(),
                p.replicas(),
                p.isr(),
                p.leader(),
                p.leaderEpoch() + 1,
                p.partitionEpoch() + 1,
                p.addingReplicas(),
                p.removingReplicas());
    }

    /** The first replica, in assignment order, that is in {@code isr} and may lead; NO_LEADER when none is. */
    public static int electFrom(PartitionImage p, List<Integer> isr, IntPredicate canLead) {
        for (int replica : p.replicas()) {
            if (isr.contains(replica) && canLead.test(replica)) {
                return replica;
            }
        }
        return PartitionRecord.NO_LEADER;
    }

    /**
     * Takes {@code broker} out of every partition: it leads none (another in-sync replica that may lead does, else
     * nobody) and is in no ISR it is not the last member of. What fencing a broker and a controlled shutdown write.
     *
     * @param canLead whether a broker may lead (active and not {@code broker})
     */
    public static List<MetadataRecord> withoutBroker(
            MetadataImage image, int broker, IntPredicate canLead, boolean uncleanDefault) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                if (!p.replicas().contains(broker)) {
                    continue;
                }
                List<Integer> isr = p.isr();
                if (isr.contains(broker) && isr.size() > 1) {
                    isr = isr.stream().filter(r -> r != broker).toList();
                }
                int leader = p.leader();
                if (leader == broker || (leader != PartitionRecord.NO_LEADER && !isr.contains(leader))) {
                    leader = electFrom(p, isr, r -> r != broker && canLead.test(r));
                }
                if (leader == PartitionRecord.NO_LEADER && allowsUnclean(image, topic.name(), uncleanDefault)) {
                    int unclean = electFrom(p, p.replicas(), r -> r != broker && canLead.test(r));
                    if (unclean != PartitionRecord.NO_LEADER) {
                        records.add(changed(topic.id(), p, List.of(unclean), unclean));
                        continue;
                    }
                }
                if (leader != p.leader() || !isr.equals(p.isr())) {
                    records.add(changed(topic.id(), p, isr, leader));
                }
            }
        }
        return records;
    }

    /**
     * Gives {@code broker} the leadership of every partition that has no leader and has it in its ISR: what
     * unfencing a broker writes.
     */
    public static List<MetadataRecord> electLeaderless(MetadataImage image, int broker, boolean uncleanDefault) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                if (!p.hasLeader() && p.isr().contains(broker)) {
                    records.add(changed(topic.id(), p, p.isr(), broker));
                } else if (!p.hasLeader()
                        && p.replicas().contains(broker)
                        && allowsUnclean(image, topic.name(), uncleanDefault)) {
                    records.add(changed(topic.id(), p, List.of(broker), broker));
                }
            }
        }
        return records;
    }

    /** The topic setting (or cluster-wide broker default) that allows electing a replica outside the ISR. */
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    /**
     * Whether a leaderless partition of {@code topic} may be given an out-of-sync replica, which may not have every
     * committed record: the topic's {@value #UNCLEAN_LEADER_ELECTION_ENABLE}, else the cluster-wide dynamic default, else the controller's
     * static one.
     */
    static boolean allowsUnclean(MetadataImage image, String topic, boolean uncleanDefault) {
        String value = image.configs(ConfigRecord.ResourceType.TOPIC, topic).get(UNCLEAN_LEADER_ELECTION_ENABLE);
        if (value == null) {
            value = image.configs(ConfigRecord.ResourceType.BROKER, "").get(UNCLEAN_LEADER_ELECTION_ENABLE);
        }
        return value == null ? uncleanDefault : Boolean.parseBoolean(value);
    }

    /** Whether {@code broker} leads a partition that another in-sync replica able to lead could take over. */
    public static boolean leadsMovablePartitions(MetadataImage image, int broker, IntPredicate canLead) {
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                if (p.leader() == broker
                        && electFrom(p, p.isr(), r -> r != broker && canLead.test(r)) != PartitionRecord.NO_LEADER) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What a leader's ISR change writes, or why it is refused: the change must come from the partition's leader, in
     * its leader epoch, from the partition epoch the metadata has now (so two changes cannot both apply to one
     * state); the new ISR holds the leader, only replicas of the partition, and as new members only active brokers.
     * The answer is null when the change was taken.
     */
    static Change<ChangeResult> alterIsr(MetadataImage image, IsrChange change) {
        var broker = image.broker(change.brokerId());
        if (broker.isEmpty() || broker.get().epoch() != change.brokerEpoch()) {
            return refused(
                    MetadataError.STALE_BROKER_EPOCH,
                    "broker " + change.brokerId() + " epoch " + change.brokerEpoch() + " is not registered");
        }
        var found = image.partition(change.topicId(), change.partition());
        if (found.isEmpty()) {
            return refused(
                    MetadataError.UNKNOWN_TOPIC_OR_PARTITION,
                    "no partition " + change.partition() + " of topic " + change.topicId());
        }
        PartitionImage p = found.get();
        if (p.leader() != change.brokerId()) {
            return refused(
                    MetadataError.NOT_LEADER_OR_FOLLOWER,
                    "broker " + change.brokerId() + " does not lead the partition; " + p.leader() + " does");
        }
        if (p.leaderEpoch() != change.leaderEpoch()) {
            return refused(
                    MetadataError.FENCED_LEADER_EPOCH,
                    "leader epoch " + change.leaderEpoch() + " is not the partition's " + p.leaderEpoch());
        }
        if (p.partitionEpoch() != change.partitionEpoch()) {
            return refused(
                    MetadataError.INVALID_UPDATE_VERSION,
                    "partition epoch " + change.partitionEpoch() + " is not the partition's " + p.partitionEpoch());
        }
        List<Integer> isr = change.isr();
        if (!isr.contains(p.leader())
                || !p.replicas().containsAll(isr)
                || isr.stream().distinct().count() != isr.size()) {
            return refused(
                    MetadataError.INVALID_REQUEST,
                    "ISR " + isr + " must hold the leader " + p.leader() + " and only replicas of " + p.replicas());
        }
        for (int member : isr) {
            if (!p.isr().contains(member) && !image.isActive(member)) {
                return refused(MetadataError.INELIGIBLE_REPLICA, "broker " + member + " is not active");
            }
        }
        if (isr.equals(p.isr())) {
            return Change.of(ChangeResult.OK);
        }
        PartitionRecord record = changed(change.topicId(), p, isr, p.leader());
        PartitionRecord completed = Reassignments.completed(image, change.topicId(), PartitionImage.of(record));
        return new Change<>(List.of(completed != null ? completed : record), ChangeResult.OK);
    }

    /** A partition named in a batch of ISR changes. */
    private record PartitionKey(TopicId topicId, int partition) {}

    /**
     * What a batch of ISR changes (one broker's, Kafka's AlterPartition with many partitions) writes: each change is
     * checked as {@link #alterIsr} checks one, against the same image, and answered on its own; the records of those
     * taken are written together, as one batch. A partition named twice in one batch is refused the second time, as
     * both would start from the same partition epoch.
     */
    static Change<List<IsrResult>> alterIsrs(MetadataImage image, List<IsrChange> changes) {
        List<MetadataRecord> records = new ArrayList<>();
        List<IsrResult> results = new ArrayList<>(changes.size());
        Set<PartitionKey> seen = new HashSet<>();
        for (IsrChange change : changes) {
            if (!seen.add(new PartitionKey(change.topicId(), change.partition()))) {
                results.add(IsrResult.refused(
                        change,
                        MetadataError.INVALID_REQUEST,
                        "partition " + change.partition() + " of topic " + change.topicId() + " is named twice"));
                continue;
            }
            Change<ChangeResult> one = alterIsr(image, change);
            if (!one.result().isSuccess()) {
                results.add(IsrResult.refused(
                        change, one.result().error(), one.result().message()));
                continue;
            }
            records.addAll(one.records());
            int epoch = one.records().isEmpty()
                    ? image.partition(change.topicId(), change.partition())
                            .orElseThrow()
                            .partitionEpoch()
                    : ((PartitionRecord) one.records().get(0)).partitionEpoch();
            results.add(IsrResult.accepted(change, epoch));
        }
        return new Change<>(records, results);
    }

    private static Change<ChangeResult> refused(MetadataError error, String message) {
        return Change.of(new ChangeResult(error, message));
    }
}
