package io.wharf.cli.command;

import io.wharf.cli.client.Clients;
import io.wharf.cli.output.Json;
import io.wharf.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What {@code wharf topic describe} prints: for each topic its id, partition count and own settings, then for each
 * partition its leader, replicas, in-sync replicas and first and next offsets, and for a compacted topic on a Wharf
 * broker the cleaner's dirty ratio and clean offset. A broker that does not answer
 * DescribeConfigs still gets the partitions, with a note on standard error. Used once, on the command's thread.
 */
final class TopicDescriber {

    /**
     * The read-only entries a Wharf broker adds to a compacted topic's DescribeConfigs, per partition it leads: the
     * cleaner's dirty ratio and the offset below which the partition is clean. Other brokers have none.
     */
    private static final String DIRTY_RATIO = "wharf.cleaner.dirty.ratio.";

    private static final String CLEAN_OFFSET = "wharf.cleaner.clean.offset.";

    private final Clients clients;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<TopicPartition, String> dirtyRatios = new HashMap<>();
    private final Map<TopicPartition, String> cleanOffsets = new HashMap<>();

    TopicDescriber(Clients clients, PrintWriter out, PrintWriter err) {
        this.clients = clients;
        this.out = out;
        this.err = err;
    }

    /** Describes {@code topics}, or every topic when the list is empty. */
    void describe(List<String> topics, boolean json) {
        Collection<String> names =
                topics.isEmpty() ? clients.await(clients.admin().listTopics().names()) : topics;
        Map<String, TopicDescription> descriptions = Topics.describe(clients, names);
        List<TopicPartition> partitions = new ArrayList<>();
        descriptions
                .values()
                .forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
        Map<TopicPartition, Long> start = Topics.offsets(clients, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = Topics.offsets(clients, partitions, OffsetSpec.latest());
        Map<String, Map<String, String>> configs = ownConfigs(descriptions.keySet());
        if (json) {
            printJson(descriptions, start, end, configs);
        } else {
            printPlain(descriptions, start, end, configs);
        }
    }

    /** Each topic's own settings (not defaults), or null when the broker does not support DescribeConfigs. */
    private Map<String, Map<String, String>> ownConfigs(Collection<String> names) {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> described;
        try {
            described = clients.await(clients.admin().describeConfigs(resources).all());
        } catch (UnsupportedVersionException e) {
            err.println("wharf: note: the broker does not support DescribeConfigs, so settings are not shown");
            return null;
        }
        Map<String, Map<String, String>> configs = new TreeMap<>();
        described.forEach((resource, config) -> {
            configs.put(
                    resource.name(),
                    config.entries().stream()
                            .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                            .collect(Collectors.toMap(
                                    ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new)));
            for (ConfigEntry entry : config.entries()) {
                cleanerEntry(resource.name(), entry, DIRTY_RATIO, dirtyRatios);
                cleanerEntry(resource.name(), entry, CLEAN_OFFSET, cleanOffsets);
            }
        });
        return configs;
    }

    private static void cleanerEntry(String topic, ConfigEntry entry, String prefix, Map<TopicPartition, String> into) {
        if (entry.name().startsWith(prefix)) {
            try {
                into.put(
                        new TopicPartition(topic, Integer.parseInt(entry.name().substring(prefix.length()))),
                        entry.value());
            } catch (NumberFormatException e) {
                // Not an entry of this form: left out.
            }
        }
    }

    private void printPlain(
            Map<String, TopicDescription> descriptions,
            Map<TopicPartition, Long> start,
            Map<TopicPartition, Long> end,
            Map<String, Map<String, String>> configs) {
        Table topicTable = new Table("TOPIC", "ID", "PARTITIONS", "REPLICATION-FACTOR", "CONFIGS");
        boolean cleaned = !dirtyRatios.isEmpty();
        Table partitionTable = cleaned
                ? new Table(
                        "TOPIC",
                        "PARTITION",
                        "LEADER",
                        "REPLICAS",
                        "ISR",
                        "START-OFFSET",
                        "END-OFFSET",
                        "DIRTY-RATIO",
                        "CLEAN-OFFSET")
                : new Table("TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "START-OFFSET", "END-OFFSET");
        for (TopicDescription d : descriptions.values()) {
            String own = configs == null ? null : joinConfigs(configs.getOrDefault(d.name(), Map.of()));
            topicTable.row(d.name(), d.topicId(), d.partitions().size(), replicationFactor(d), own);
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                if (cleaned) {
                    partitionTable.row(
                            d.name(),
                            p.partition(),
                            leader(p),
                            ids(p.replicas()),
                            ids(p.isr()),
                            start.get(tp),
                            end.get(tp),
                            dirtyRatios.getOrDefault(tp, "-"),
                            cleanOffsets.getOrDefault(tp, "-"));
                } else {
                    partitionTable.row(
                            d.name(),
                            p.partition(),
                            leader(p),
                            ids(p.replicas()),
                            ids(p.isr()),
                            start.get(tp),
                            end.get(tp));
                }
            }
        }
        topicTable.print(out);
        out.println();
        partitionTable.print(out);
    }

    private void printJson(
            Map<String, TopicDescription> descriptions,
            Map<TopicPartition, Long> start,
            Map<TopicPartition, Long> end,
            Map<String, Map<String, String>> configs) {
        List<Object> result = new ArrayList<>();
        for (TopicDescription d : descriptions.values()) {
            List<Object> partitions = new ArrayList<>();
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                Map<String, Object> partition = new LinkedHashMap<>();
                partition.put("partition", p.partition());
                partition.put("leader", p.leader() == null ? null : p.leader().id());
                partition.put("replicas", p.replicas().stream().map(Node::id).toList());
                partition.put("isr", p.isr().stream().map(Node::id).toList());
                partition.put("startOffset", start.get(tp));
                partition.put("endOffset", end.get(tp));
                if (dirtyRatios.containsKey(tp)) {
                    partition.put("dirtyRatio", Double.parseDouble(dirtyRatios.get(tp)));
                    partition.put("cleanOffset", Long.parseLong(cleanOffsets.getOrDefault(tp, "-1")));
                }
                partitions.add(partition);
            }
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("name", d.name());
            topic.put("id", String.valueOf(d.topicId()));
            topic.put("internal", d.isInternal());
            topic.put("replicationFactor", replicationFactor(d));
            topic.put("configs", configs == null ? null : configs.getOrDefault(d.name(), Map.of()));
            topic.put("partitions", partitions);
            result.add(topic);
        }
        out.println(Json.write(result));
    }

    private static int replicationFactor(TopicDescription description) {
        return description.partitions().isEmpty()
                ? 0
                : description.partitions().get(0).replicas().size();
    }

    private static String leader(TopicPartitionInfo partition) {
        return partition.leader() == null || partition.leader().isEmpty()
                ? "none"
                : String.valueOf(partition.leader().id());
    }

    private static String ids(List<Node> nodes) {
        return nodes.isEmpty()
                ? "-"
                : nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(","));
    }

    private static String joinConfigs(Map<String, String> configs) {
        return configs.isEmpty()
                ? "-"
                : configs.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
    }
}
