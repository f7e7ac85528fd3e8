package io.wharf.cli.command;

import io.wharf.cli.client.Clients;
import io.wharf.cli.output.Json;
import io.wharf.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code wharf group describe} prints: a group's state and coordinator, then per partition the committed
 * offset, the log end offset, the lag between them and the member that owns it. Partitions appear if the group
 * committed an offset for them or a member is assigned them. Used once, on the command's thread.
 */
final class GroupDescriber {

    /** One partition as the group sees it; null fields are unknown. */
    private record PartitionLag(TopicPartition partition, Long committed, Long end, MemberDescription owner) {
        Long lag() {
            return committed == null || end == null ? null : Math.max(0, end - committed);
        }
    }

    private final Clients clients;
    private final PrintWriter out;
    private final String group;

    GroupDescriber(Clients clients, PrintWriter out, String group) {
        this.clients = clients;
        this.out = out;
        this.group = group;
    }

    /** Prints the group; fails with {@link io.wharf.cli.ExitCode#NOT_FOUND} when the broker knows nothing of it. */
    void describe(boolean json) {
        ConsumerGroupDescription description = Groups.describe(clients, group);
        Map<TopicPartition, Long> committed = Groups.committed(clients, group);
        if (description == null && committed.isEmpty()) {
            throw Groups.notFound(group);
        }
        Map<TopicPartition, MemberDescription> owners = new TreeMap<>(Topics::compare);
        if (description != null) {
            for (MemberDescription member : description.members()) {
                member.assignment().topicPartitions().forEach(tp -> owners.put(tp, member));
            }
        }
        TreeSet<TopicPartition> partitions = new TreeSet<>(Topics::compare);
        partitions.addAll(committed.keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> ends = Groups.endOffsets(clients, partitions);
        List<PartitionLag> rows = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            rows.add(new PartitionLag(tp, committed.get(tp), ends.get(tp), owners.get(tp)));
        }
        if (json) {
            printJson(description, rows);
        } else {
            printPlain(description, rows);
        }
    }

    private void printPlain(ConsumerGroupDescription description, List<PartitionLag> rows) {
        out.println("group        " + group);
        out.println("state        " + (description == null ? "Empty" : description.groupState()));
        out.println("coordinator  "
                + (description == null ? "-" : description.coordinator().id()));
        out.println("members      "
                + (description == null ? 0 : description.members().size()));
        out.println();
        Table table = new Table(
                "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
        for (PartitionLag row : rows) {
            MemberDescription owner = row.owner();
            table.row(
                    row.partition().topic(),
                    row.partition().partition(),
                    row.committed(),
                    row.end(),
                    row.lag(),
                    owner == null ? null : owner.consumerId(),
                    owner == null ? null : owner.host(),
                    owner == null ? null : owner.clientId());
        }
        table.print(out);
    }

    private void printJson(ConsumerGroupDescription description, List<PartitionLag> rows) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("group", group);
        result.put(
                "state",
                description == null ? "Empty" : description.groupState().toString());
        result.put(
                "coordinator",
                description == null ? null : description.coordinator().id());
        result.put("members", description == null ? 0 : description.members().size());
        List<Object> partitions = new ArrayList<>();
        for (PartitionLag row : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("topic", row.partition().topic());
            entry.put("partition", row.partition().partition());
            entry.put("currentOffset", row.committed());
            entry.put("logEndOffset", row.end());
            entry.put("lag", row.lag());
            entry.put("consumerId", row.owner() == null ? null : row.owner().consumerId());
            entry.put("host", row.owner() == null ? null : row.owner().host());
            entry.put("clientId", row.owner() == null ? null : row.owner().clientId());
            partitions.add(entry);
        }
        result.put("partitions", partitions);
        out.println(Json.write(result));
    }
}
