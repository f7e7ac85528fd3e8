package io.wharf.metadata.controller;

import io.wharf.common.TopicId;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import java.util.ArrayList;
import java.util.List;
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
    public static List<MetadataRecord> withoutBroker(MetadataImage image, int broker, IntPredicate canLead) {
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
    public static List<MetadataRecord> electLeaderless(MetadataImage image, int broker) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                if (!p.hasLeader() && p.isr().contains(broker)) {
                    records.add(changed(topic.id(), p, p.isr(), broker));
                }
            }
        }
        return records;
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
}
