package io.wharf.tests.simulation;

import io.wharf.common.TopicPartition;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.replication.PartitionReplica;
import io.wharf.storage.PartitionLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The invariants of replication, checked against the real replicas and logs after every event of a run.
 *
 * <ol>
 *   <li><b>One writer per epoch.</b> At most one broker process (a broker id in one incarnation) appends as leader
 *       in any one leader epoch of a partition.
 *   <li><b>Watermarks only rise.</b> A replica's high watermark never decreases while the replica lives (a broker's
 *       restart makes new replicas, whose watermarks start from the checkpoint).
 *   <li><b>One committed log.</b> The committed log of a partition is what lies below the highest high watermark
 *       any leader ever reported. Every replica's log below its own high watermark is that log, record for record;
 *       and the replica leading the controller's current leader epoch (once it knows it does) holds all of it. This
 *       is narrower than "every replica that has an offset below the highest watermark has the committed record
 *       there": a replica that fell out of the ISR may still hold records a deposed leader never committed, at
 *       offsets a later leader has since committed other records at, until it next fetches and truncates; Kafka's
 *       protocol allows that, and such a replica's watermark is below those offsets.
 *   <li><b>Acknowledged means committed.</b> No offset is acknowledged with two different records; every
 *       acknowledged record is in the committed log; once the cluster is healed and has settled, every in-sync
 *       replica has every acknowledged record at the offset it was acknowledged with.
 *   <li><b>Durable on every in-sync replica</b> (under {@code wharf.flush.policy=acks-all}, Wharf's promise in
 *       DESIGN.md): when a record is acknowledged, every live member of the ISR its leader acknowledged it with has it
 *       on disk (below the log's durable offset).
 *   <li><b>A lease means unfenced.</b> A live broker that holds the lease (what a leader checks before it acts as
 *       one) is registered in the controller's image in the epoch the lease is for, and is not fenced there, unless
 *       it asked to shut down (the controller fences such a broker once its metadata shows its leaderships moved,
 *       and it stops on the answer). A broker cut off from the controller and healed holds stale metadata, naming it
 *       leader of partitions the controller has moved; the controller unfences it only once that metadata caught
 *       up, so a broker that acted as leader while fenced would serve from a stale leadership.
 * </ol>
 *
 * <p>Logs are compared incrementally: each replica's log is read once up to where it was last found to agree, so a
 * check after an event reads only what the event added; a truncation moves that mark back.
 */
final class ReplicationChecker {

    /** What the checks need of a broker process. */
    interface Broker {
        int id();

        String name();

        boolean alive();

        Map<TopicPartition, PartitionReplica> replicas();

        /** The open log of {@code tp}, replica or not yet; null when there is none. */
        PartitionLog log(TopicPartition tp);

        /** Whether it holds the lease a leader needs to act as one. */
        boolean hasLease();

        /** The epoch of its registration; -1 before it registered. */
        long brokerEpoch();

        /** Whether it asked the controller to let it shut down. */
        boolean shuttingDown();
    }

    private final boolean durableAcks;
    private final Map<String, String> epochWriters = new HashMap<>();
    private final Map<PartitionReplica, Long> watermarks = new IdentityHashMap<>();
    private final Map<PartitionReplica, Long> agreedUpTo = new IdentityHashMap<>();
    private final Map<TopicPartition, Long> committedEnd = new TreeMap<>();
    private final Map<TopicPartition, List<String>> committed = new TreeMap<>();
    private final Map<TopicPartition, TreeMap<Long, String>> acknowledged = new TreeMap<>();
    private long acknowledgedRecords;

    ReplicationChecker(boolean durableAcks) {
        this.durableAcks = durableAcks;
    }

    long acknowledgedRecords() {
        return acknowledgedRecords;
    }

    long committedRecords() {
        return committedEnd.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Invariant 1: {@code broker} appended to {@code tp} as leader in {@code epoch}. */
    void appendedAsLeader(TopicPartition tp, int epoch, Broker broker) {
        String key = tp + " epoch " + epoch;
        String earlier = epochWriters.putIfAbsent(key, broker.name());
        if (earlier != null && !earlier.equals(broker.name())) {
            throw new SimulationFailure(
                    "two brokers accepted writes as leader of " + key + ": " + earlier + " and " + broker.name());
        }
    }

    /**
     * Invariants 4 and 5, when {@code leader} acknowledges {@code identities} from {@code firstOffset} on; {@code
     * image} is the controller's.
     */
    void acknowledged(
            TopicPartition tp,
            long firstOffset,
            List<String> identities,
            PartitionReplica leader,
            MetadataImage image,
            IntFunction<Broker> brokers) {
        TreeMap<Long, String> acked = acknowledged.computeIfAbsent(tp, t -> new TreeMap<>());
        List<String> reference = committed.getOrDefault(tp, List.of());
        for (int i = 0; i < identities.size(); i++) {
            long offset = firstOffset + i;
            String previous = acked.put(offset, identities.get(i));
            if (previous != null && !previous.equals(identities.get(i))) {
                throw new SimulationFailure("offset " + offset + " of " + tp + " was acknowledged with " + previous
                        + " and later with " + identities.get(i));
            }
            if (offset < reference.size() && !reference.get((int) offset).equals(identities.get(i))) {
                throw new SimulationFailure("offset " + offset + " of " + tp + " was acknowledged with "
                        + identities.get(i) + " but the committed record there is " + reference.get((int) offset));
            }
        }
        acknowledgedRecords += identities.size();
        if (durableAcks) {
            Set<Integer> isr = new TreeSet<>(leader.assignment().isr());
            partition(image, tp).ifPresent(p -> isr.addAll(p.isr()));
            checkDurableOnIsr(tp, firstOffset, identities, isr, brokers);
        }
    }

    /**
     * Checks that every live member of {@code isr} (the ISR the leader acknowledged with, and the controller's) has
     * the acknowledged records on disk. The controller's ISR counts too: a member the leader does not know of yet
     * can be elected, so the leader's watermark must already have counted it (its "maximal ISR").
     */
    private void checkDurableOnIsr(
            TopicPartition tp,
            long firstOffset,
            List<String> identities,
            Set<Integer> isr,
            IntFunction<Broker> brokers) {
        long end = firstOffset + identities.size();
        for (int member : isr) {
            Broker broker = brokers.apply(member);
            if (broker == null || !broker.alive()) {
                continue;
            }
            PartitionLog log = broker.log(tp);
            if (log == null || log.durableOffset() < end) {
                throw new SimulationFailure("offsets " + firstOffset + ".." + (end - 1) + " of " + tp
                        + " were acknowledged with ISR " + isr + " (the leader's and the controller's), but "
                        + broker.name()
                        + " has only " + (log == null ? "no log" : "up to " + log.durableOffset()) + " on disk");
            }
            List<String> stored = LogContents.read(log, firstOffset, end);
            if (!stored.equals(identities)) {
                throw new SimulationFailure("offsets " + firstOffset + ".." + (end - 1) + " of " + tp
                        + " were acknowledged as " + identities + " but " + broker.name() + " holds " + stored);
            }
        }
    }

    /** A replica's log was cut: what it agreed to above its new end must be read again. */
    void truncated(PartitionReplica replica) {
        Long agreed = agreedUpTo.get(replica);
        long end = replica.log().logEndOffset();
        if (agreed != null && agreed > end) {
            agreedUpTo.put(replica, end);
        }
    }

    /** Invariants 2 and 3, after an event; {@code image} is the controller's. */
    void afterEvent(Collection<? extends Broker> live, MetadataImage image) {
        for (Broker broker : live) {
            for (Map.Entry<TopicPartition, PartitionReplica> e :
                    broker.replicas().entrySet()) {
                if (e.getValue().isLeader()) {
                    committedEnd.merge(e.getKey(), e.getValue().highWatermark(), Math::max);
                }
            }
        }
        for (Broker broker : live) {
            for (Map.Entry<TopicPartition, PartitionReplica> e :
                    broker.replicas().entrySet()) {
                checkReplica(e.getKey(), e.getValue(), broker, image);
            }
            checkLease(broker, image);
        }
    }

    /** Invariant 6. */
    private static void checkLease(Broker broker, MetadataImage image) {
        if (!broker.hasLease() || broker.shuttingDown()) {
            return;
        }
        BrokerImage registered = image.brokers().get(broker.id());
        if (registered == null || registered.epoch() != broker.brokerEpoch() || registered.isFenced()) {
            throw new SimulationFailure(broker.name() + " holds the lease for registration epoch "
                    + broker.brokerEpoch() + ", but the controller has " + registered);
        }
    }

    private void checkReplica(TopicPartition tp, PartitionReplica replica, Broker broker, MetadataImage image) {
        long watermark = replica.highWatermark();
        Long before = watermarks.put(replica, watermark);
        if (before != null && watermark < before) {
            throw new SimulationFailure("the high watermark of " + tp + " on " + broker.name() + " went back from "
                    + before + " to " + watermark + " (" + replica + ")");
        }
        long end = committedEnd.getOrDefault(tp, 0L);
        boolean currentLeader = leadsCurrentEpoch(tp, replica, broker, image);
        if (currentLeader && replica.log().logEndOffset() < end) {
            throw new SimulationFailure(broker.name() + " leads " + tp + " in the controller's epoch "
                    + replica.leaderEpoch() + " with a log ending at "
                    + replica.log().logEndOffset()
                    + ", below the committed offset " + end);
        }
        agree(tp, replica, broker, currentLeader ? end : Math.min(watermark, end));
    }

    private static boolean leadsCurrentEpoch(
            TopicPartition tp, PartitionReplica replica, Broker broker, MetadataImage image) {
        if (!replica.isLeader()) {
            return false;
        }
        Optional<PartitionImage> p = partition(image, tp);
        return p.isPresent() && p.get().leader() == broker.id() && p.get().leaderEpoch() == replica.leaderEpoch();
    }

    private static Optional<PartitionImage> partition(MetadataImage image, TopicPartition tp) {
        return image.topic(tp.topic()).map(t -> t.partitions().get(tp.partition()));
    }

    /** Compares {@code replica}'s log below {@code bound} with the committed log, extending the latter. */
    private void agree(TopicPartition tp, PartitionReplica replica, Broker broker, long bound) {
        PartitionLog log = replica.log();
        long from = Math.min(agreedUpTo.getOrDefault(replica, log.logStartOffset()), log.logEndOffset());
        if (from >= bound) {
            agreedUpTo.put(replica, from);
            return;
        }
        List<String> stored = LogContents.read(log, from, bound);
        List<String> reference = committed.computeIfAbsent(tp, t -> new ArrayList<>());
        for (int i = 0; i < stored.size(); i++) {
            long offset = from + i;
            if (offset < reference.size()) {
                if (!reference.get((int) offset).equals(stored.get(i))) {
                    throw new SimulationFailure("offset " + offset + " of " + tp + " is committed as "
                            + reference.get((int) offset) + " but " + broker.name() + " holds " + stored.get(i)
                            + " there, below its bound " + bound + " (" + replica + ", high watermark "
                            + replica.highWatermark() + ")");
                }
            } else if (offset == reference.size()) {
                reference.add(stored.get(i));
            } else {
                throw new SimulationFailure("the committed log of " + tp + " ends at " + reference.size() + " but "
                        + broker.name() + " was checked from " + from);
            }
        }
        agreedUpTo.put(replica, from + stored.size());
    }

    /**
     * Invariant 4 at the end: every in-sync replica (of the controller's final image) holds every acknowledged
     * record at its offset, and every replica of a partition holds the same log.
     */
    void atEnd(MetadataImage image, IntFunction<Broker> brokers) {
        image.topics()
                .values()
                .forEach(topic -> topic.partitions().values().forEach(p -> {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                    List<String> leaderLog = null;
                    for (int member : p.replicas()) {
                        Broker broker = brokers.apply(member);
                        PartitionLog log = broker == null ? null : broker.log(tp);
                        if (log == null) {
                            throw new SimulationFailure(tp + " has no log on broker " + member + " at the end");
                        }
                        List<String> stored = LogContents.read(log, log.logStartOffset(), log.logEndOffset());
                        if (p.isr().contains(member)) {
                            checkAcknowledged(tp, stored, broker);
                        }
                        if (leaderLog == null) {
                            leaderLog = stored;
                        } else if (!leaderLog.equals(stored)) {
                            throw new SimulationFailure("the replicas of " + tp + " differ at the end: " + broker.name()
                                    + " holds " + stored.size() + " records, broker "
                                    + p.replicas().get(0) + " "
                                    + leaderLog.size() + firstDifference(leaderLog, stored));
                        }
                    }
                }));
    }

    private void checkAcknowledged(TopicPartition tp, List<String> stored, Broker broker) {
        for (Map.Entry<Long, String> acked :
                acknowledged.getOrDefault(tp, new TreeMap<>()).entrySet()) {
            long offset = acked.getKey();
            if (offset >= stored.size() || !stored.get((int) offset).equals(acked.getValue())) {
                throw new SimulationFailure("offset " + offset + " of " + tp + " was acknowledged as "
                        + acked.getValue() + " but in-sync " + broker.name() + " holds "
                        + (offset >= stored.size()
                                ? "nothing there (its log ends at " + stored.size() + ")"
                                : stored.get((int) offset)));
            }
        }
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "; first difference at offset " + i + ": " + a.get(i) + " / " + b.get(i);
            }
        }
        return "";
    }
}
