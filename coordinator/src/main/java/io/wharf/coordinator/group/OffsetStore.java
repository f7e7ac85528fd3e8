package io.wharf.coordinator.group;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The committed offsets of the groups of one shard. Changed only when {@link GroupState} replays offset records. */
final class OffsetStore {

    /** An offset as committed. */
    record Committed(long offset, int leaderEpoch, String metadata, long commitTimestamp) {}

    private final Map<String, Map<TopicPartition, Committed>> byGroup = new HashMap<>();

    void replay(String group, String topic, int partition, GroupRecords.OffsetValue value) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (value == null) {
            Map<TopicPartition, Committed> offsets = byGroup.get(group);
            if (offsets != null) {
                offsets.remove(tp);
                if (offsets.isEmpty()) {
                    byGroup.remove(group);
                }
            }
            return;
        }
        byGroup.computeIfAbsent(group, g -> new TreeMap<>())
                .put(tp, new Committed(value.offset(), value.leaderEpoch(), value.metadata(), value.commitTimestamp()));
    }

    Map<TopicPartition, Committed> offsets(String group) {
        return Collections.unmodifiableMap(byGroup.getOrDefault(group, Map.of()));
    }

    boolean hasOffsets(String group) {
        return byGroup.containsKey(group);
    }

    Iterable<String> groups() {
        return List.copyOf(byGroup.keySet());
    }

    /** Tombstones for every offset of {@code group}. */
    List<CoordinatorRecord> tombstones(String group) {
        return tombstones(group, offsets(group).keySet());
    }

    /** Tombstones for the offsets of {@code group} on those of {@code partitions} that it has. */
    List<CoordinatorRecord> tombstones(String group, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Committed> offsets = offsets(group);
        List<CoordinatorRecord> records = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (offsets.containsKey(tp)) {
                records.add(GroupRecords.offset(group, tp.topic(), tp.partition(), null));
            }
        }
        return records;
    }

    /** The newest commit time among the group's offsets, or -1. */
    long lastCommitTimestamp(String group) {
        return offsets(group).values().stream()
                .mapToLong(Committed::commitTimestamp)
                .max()
                .orElse(-1);
    }

    List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> records = new ArrayList<>();
        byGroup.forEach((group, offsets) -> offsets.forEach((tp, c) -> records.add(GroupRecords.offset(
                group,
                tp.topic(),
                tp.partition(),
                new GroupRecords.OffsetValue(c.offset(), c.leaderEpoch(), c.metadata(), c.commitTimestamp())))));
        return records;
    }
}
