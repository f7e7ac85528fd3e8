package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.client.Clients;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Group lookups the group commands share, failing with the group's name when it does not exist. Stateless. */
final class Groups {

    private Groups() {}

    static CliException notFound(String group) {
        return CliException.notFound("group '" + group + "' does not exist");
    }

    /**
     * The group's description, or null when the broker does not know it: older brokers describe an unknown group
     * as DEAD rather than fail.
     */
    static ConsumerGroupDescription describe(Clients clients, String group) {
        try {
            ConsumerGroupDescription description = clients.await(clients.admin()
                    .describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group));
            return description.groupState() == GroupState.DEAD ? null : description;
        } catch (GroupIdNotFoundException e) {
            return null;
        }
    }

    /** The group's committed offsets, by partition in order; partitions without one are left out. */
    static Map<TopicPartition, Long> committed(Clients clients, String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                clients.await(clients.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> committed = new TreeMap<>(Topics::compare);
        offsets.forEach((tp, offset) -> {
            if (offset != null) {
                committed.put(tp, offset.offset());
            }
        });
        return committed;
    }

    /**
     * The end offset of each partition, leaving out partitions whose topic no longer exists (a group keeps offsets
     * of deleted topics until they expire).
     */
    static Map<TopicPartition, Long> endOffsets(Clients clients, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> request = new TreeMap<>(Topics::compare);
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result = clients.admin().listOffsets(request);
        Map<TopicPartition, Long> ends = new TreeMap<>(Topics::compare);
        for (TopicPartition tp : partitions) {
            try {
                ends.put(tp, clients.await(result.partitionResult(tp)).offset());
            } catch (UnknownTopicOrPartitionException e) {
                // Shown without an end offset and lag.
            }
        }
        return ends;
    }
}
