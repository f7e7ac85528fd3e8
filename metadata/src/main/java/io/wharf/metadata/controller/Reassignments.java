package io.wharf.metadata.controller;

import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reassignments and leader elections, as the partition records they write. Pure functions of the image.
 *
 * <p>A reassignment follows Kafka's: the replicas become the target followed by the replicas leaving; the ones
 * arriving are {@code addingReplicas} and fetch like any follower; once every target replica is in the ISR the
 * reassignment completes in the same record that changes the ISR: the replicas become the target, those leaving drop
 * out of the ISR, and if the leader is one of them a target replica in the ISR is elected. Cancelling goes back to
 * the original replicas.
 */
final class Reassignments {

    private Reassignments() {}

    static Change<List<PartitionResult>> alter(MetadataImage image, List<Reassignment> requests) {
        List<MetadataRecord> records = new ArrayList<>();
        List<PartitionResult> results = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Reassignment request : requests) {
            if (!seen.add(request.topic() + "-" + request.partition())) {
                results.add(new PartitionResult(
                        request.topic(),
                        request.partition(),
                        MetadataError.INVALID_REQUEST,
                        "The partition is listed twice"));
                continue;
            }
            results.add(plan(image, request, records));
        }
        return new Change<>(records, results);
    }

    private static PartitionResult plan(MetadataImage image, Reassignment request, List<MetadataRecord> records) {
        TopicImage topic = image.topic(request.topic()).orElse(null);
        PartitionImage p = topic == null ? null : topic.partitions().get(request.partition());
        if (p == null) {
            return new PartitionResult(
                    request.topic(),
                    request.partition(),
                    MetadataError.UNKNOWN_TOPIC_OR_PARTITION,
                    "No partition " + request.topic() + "-" + request.partition());
        }
        if (request.target() == null) {
            if (!p.isReassigning()) {
                return new PartitionResult(
                        request.topic(),
                        request.partition(),
                        MetadataError.NO_REASSIGNMENT_IN_PROGRESS,
                        "No reassignment of the partition is in progress");
            }
            List<Integer> original = p.replicas().stream()
                    .filter(r -> !p.addingReplicas().contains(r))
                    .toList();
            if (p.isr().stream().noneMatch(original::contains)) {
                return noneInSync(request, original);
            }
            records.add(settle(image, topic.id(), p, original));
            return PartitionResult.ok(request.topic(), request.partition());
        }
        List<Integer> target = request.target();
        String invalid = checkTarget(image, target);
        if (invalid != null) {
            return new PartitionResult(
                    request.topic(), request.partition(), MetadataError.INVALID_REPLICA_ASSIGNMENT, invalid);
        }
        List<Integer> current = p.isReassigning()
                ? p.replicas().stream()
                        .filter(r -> !p.addingReplicas().contains(r))
                        .toList()
                : p.replicas();
        List<Integer> adding = target.stream().filter(r -> !current.contains(r)).toList();
        List<Integer> removing =
                current.stream().filter(r -> !target.contains(r)).toList();
        if (adding.isEmpty() && removing.isEmpty() && !p.isReassigning() && target.equals(p.replicas())) {
            return PartitionResult.ok(request.topic(), request.partition());
        }
        List<Integer> replicas = new ArrayList<>(target);
        removing.forEach(replicas::add);
        // A move that replaces one in progress drops the replicas the earlier one was adding: they leave the ISR
        // too, and the leadership if one of them had it. An ISR member that is no replica is never fetched by nor
        // counted out of the ISR, so the partition would never commit again.
        List<Integer> isr = p.isr().stream().filter(replicas::contains).toList();
        if (isr.isEmpty()) {
            return noneInSync(request, replicas);
        }
        int leader = p.leader();
        if (leader != PartitionRecord.NO_LEADER && !isr.contains(leader)) {
            leader = PartitionRecord.NO_LEADER;
            for (int r : replicas) {
                if (isr.contains(r) && image.isActive(r)) {
                    leader = r;
                    break;
                }
            }
        }
        int leaderEpoch = leader != p.leader() ? p.leaderEpoch() + 1 : p.leaderEpoch();
        PartitionImage started = new PartitionImage(
                p.partition(), replicas, isr, leader, leaderEpoch, p.partitionEpoch(), adding, removing);
        PartitionRecord record = completed(image, topic.id(), started);
        records.add(
                record != null
                        ? record
                        : new PartitionRecord(
                                topic.id(),
                                p.partition(),
                                replicas,
                                isr,
                                leader,
                                leaderEpoch,
                                p.partitionEpoch() + 1,
                                adding,
                                removing));
        return PartitionResult.ok(request.topic(), request.partition());
    }

    /** Refuses a change after which no replica would be in sync: only the replicas it drops are. */
    private static PartitionResult noneInSync(Reassignment request, List<Integer> replicas) {
        return new PartitionResult(
                request.topic(),
                request.partition(),
                MetadataError.INVALID_REPLICA_ASSIGNMENT,
                "None of " + replicas + " is in sync; only the replicas the reassignment in progress adds are");
    }

    private static String checkTarget(MetadataImage image, List<Integer> target) {
        if (target.isEmpty()) {
            return "A partition needs at least one replica";
        }
        if (new HashSet<>(target).size() != target.size()) {
            return "Duplicate brokers in " + target;
        }
        for (int broker : target) {
            if (image.broker(broker).isEmpty()) {
                return "Broker " + broker + " is not registered";
            }
        }
        return null;
    }

    /**
     * The record that completes {@code p}'s reassignment if every target replica is in its ISR, or null when it
     * cannot complete yet (or none is in progress). The partition epoch moves past {@code p}'s.
     */
    static PartitionRecord completed(MetadataImage image, TopicId topicId, PartitionImage p) {
        if (!p.isReassigning()) {
            return null;
        }
        List<Integer> target = p.targetReplicas();
        if (!p.isr().containsAll(target)) {
            return null;
        }
        return settle(image, topicId, p, target);
    }

    /** {@code p} with {@code replicas} as its replicas and no reassignment: the ISR and leader follow. */
    private static PartitionRecord settle(
            MetadataImage image, TopicId topicId, PartitionImage p, List<Integer> replicas) {
        List<Integer> isr = p.isr().stream().filter(replicas::contains).toList();
        int leader = p.leader();
        if (!replicas.contains(leader) || !isr.contains(leader)) {
            leader = PartitionRecord.NO_LEADER;
            for (int r : replicas) {
                if (isr.contains(r) && image.isActive(r)) {
                    leader = r;
                    break;
                }
            }
        }
        int leaderEpoch = leader != p.leader() ? p.leaderEpoch() + 1 : p.leaderEpoch();
        return new PartitionRecord(
                topicId,
                p.partition(),
                replicas,
                isr,
                leader,
                leaderEpoch,
                p.partitionEpoch() + 1,
                List.of(),
                List.of());
    }

    /**
     * Elects leaders: PREFERRED moves leadership to the first replica where it is in sync, active and not leader;
     * UNCLEAN gives a leaderless partition any active replica (its ISR becomes that replica alone).
     *
     * @param partitions the partitions to elect for; null for every partition
     */
    static Change<List<PartitionResult>> elect(
            MetadataImage image, LeaderElection election, List<PartitionRef> partitions) {
        List<MetadataRecord> records = new ArrayList<>();
        List<PartitionResult> results = new ArrayList<>();
        Map<String, List<Integer>> wanted = new TreeMap<>();
        if (partitions == null) {
            image.topics()
                    .forEach((name, topic) ->
                            wanted.put(name, new ArrayList<>(topic.partitions().keySet())));
        } else {
            for (PartitionRef ref : partitions) {
                wanted.computeIfAbsent(ref.topic(), t -> new ArrayList<>()).add(ref.partition());
            }
        }
        for (Map.Entry<String, List<Integer>> entry : wanted.entrySet()) {
            TopicImage topic = image.topic(entry.getKey()).orElse(null);
            for (int index : new LinkedHashSet<>(entry.getValue())) {
                PartitionImage p = topic == null ? null : topic.partitions().get(index);
                if (p == null) {
                    results.add(new PartitionResult(
                            entry.getKey(), index, MetadataError.UNKNOWN_TOPIC_OR_PARTITION, "No such partition"));
                    continue;
                }
                PartitionResult result = election == LeaderElection.PREFERRED
                        ? preferred(image, topic.id(), entry.getKey(), p, records)
                        : unclean(image, topic.id(), entry.getKey(), p, records);
                if (partitions != null || result.isSuccess()) {
                    results.add(result);
                }
            }
        }
        return new Change<>(records, results);
    }

    private static PartitionResult preferred(
            MetadataImage image, TopicId id, String topic, PartitionImage p, List<MetadataRecord> records) {
        int preferred = p.preferredLeader();
        if (p.leader() == preferred) {
            return new PartitionResult(
                    topic, p.partition(), MetadataError.ELECTION_NOT_NEEDED, "The preferred replica already leads");
        }
        if (!p.isr().contains(preferred) || !image.isActive(preferred)) {
            return new PartitionResult(
                    topic,
                    p.partition(),
                    MetadataError.PREFERRED_LEADER_NOT_AVAILABLE,
                    "The preferred replica " + preferred + " is not in sync or not active");
        }
        records.add(PartitionChanges.changed(id, p, p.isr(), preferred));
        return PartitionResult.ok(topic, p.partition());
    }

    private static PartitionResult unclean(
            MetadataImage image, TopicId id, String topic, PartitionImage p, List<MetadataRecord> records) {
        if (p.hasLeader() && image.isActive(p.leader())) {
            return new PartitionResult(
                    topic, p.partition(), MetadataError.ELECTION_NOT_NEEDED, "The partition has a leader");
        }
        PartitionRecord elected = uncleanRecord(image, id, p);
        if (elected == null) {
            return new PartitionResult(
                    topic,
                    p.partition(),
                    MetadataError.ELIGIBLE_LEADERS_NOT_AVAILABLE,
                    "No replica of the partition is active");
        }
        records.add(elected);
        return PartitionResult.ok(topic, p.partition());
    }

    /** The first active replica as the only member of the ISR and leader, or null when none is active. */
    static PartitionRecord uncleanRecord(MetadataImage image, TopicId id, PartitionImage p) {
        for (int replica : p.replicas()) {
            if (image.isActive(replica)) {
                return PartitionChanges.changed(id, p, List.of(replica), replica);
            }
        }
        return null;
    }

    /**
     * Preferred elections for every broker whose share of preferred partitions led elsewhere is above {@code
     * percentage}: what {@code auto.leader.rebalance.enable} writes.
     */
    static List<MetadataRecord> rebalance(MetadataImage image, int percentage) {
        Map<Integer, int[]> counts = new TreeMap<>();
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                int[] c = counts.computeIfAbsent(p.preferredLeader(), b -> new int[2]);
                c[0]++;
                if (p.leader() != p.preferredLeader()) {
                    c[1]++;
                }
            }
        }
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                int[] c = counts.get(p.preferredLeader());
                boolean imbalanced = c[1] * 100 > c[0] * percentage;
                if (imbalanced
                        && p.leader() != p.preferredLeader()
                        && p.isr().contains(p.preferredLeader())
                        && image.isActive(p.preferredLeader())
                        && !p.isReassigning()) {
                    records.add(PartitionChanges.changed(topic.id(), p, p.isr(), p.preferredLeader()));
                }
            }
        }
        return records;
    }
}
