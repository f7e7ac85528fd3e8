package io.wharf.coordinator.group;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offsets committed inside transactions that have not ended yet (TxnOffsetCommit), per producer id: invisible to
 * OffsetFetch until the transaction commits, when they become the groups' committed offsets; dropped when it aborts.
 * Changed only when {@link GroupState} replays records.
 */
final class PendingOffsets {

    /** producer id → group → partition → offset. */
    private final Map<Long, Map<String, Map<TopicPartition, GroupRecords.OffsetValue>>> byProducer = new HashMap<>();

    void replay(long producerId, String group, TopicPartition tp, GroupRecords.OffsetValue value) {
        if (value == null) {
            Map<String, Map<TopicPartition, GroupRecords.OffsetValue>> groups = byProducer.get(producerId);
            if (groups != null && groups.containsKey(group)) {
                groups.get(group).remove(tp);
                if (groups.get(group).isEmpty()) {
                    groups.remove(group);
                }
                if (groups.isEmpty()) {
                    byProducer.remove(producerId);
                }
            }
            return;
        }
        byProducer
                .computeIfAbsent(producerId, p -> new HashMap<>())
                .computeIfAbsent(group, g -> new HashMap<>())
                .put(tp, value);
    }

    /** The producer's transaction ended: its offsets become committed ones, or are dropped. */
    void complete(long producerId, boolean commit, OffsetStore committed) {
        Map<String, Map<TopicPartition, GroupRecords.OffsetValue>> groups = byProducer.remove(producerId);
        if (groups == null || !commit) {
            return;
        }
        groups.forEach((group, offsets) ->
                offsets.forEach((tp, value) -> committed.replay(group, tp.topic(), tp.partition(), value)));
    }

    boolean hasPending(long producerId) {
        return byProducer.containsKey(producerId);
    }

    /** Whether an open transaction holds an offset of {@code group} on {@code tp}. */
    boolean isPending(String group, TopicPartition tp) {
        for (Map<String, Map<TopicPartition, GroupRecords.OffsetValue>> groups : byProducer.values()) {
            Map<TopicPartition, GroupRecords.OffsetValue> offsets = groups.get(group);
            if (offsets != null && offsets.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    /** The partitions of {@code group} that an open transaction holds an offset for. */
    Set<TopicPartition> pendingPartitions(String group) {
        Set<TopicPartition> found = new java.util.HashSet<>();
        for (Map<String, Map<TopicPartition, GroupRecords.OffsetValue>> groups : byProducer.values()) {
            found.addAll(groups.getOrDefault(group, Map.of()).keySet());
        }
        return found;
    }

    List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> records = new ArrayList<>();
        byProducer.forEach((producerId, groups) -> groups.forEach((group, offsets) -> offsets.forEach((tp, value) ->
                records.add(GroupRecords.pendingTxnOffset(group, tp.topic(), tp.partition(), producerId, value)))));
        return records;
    }
}
