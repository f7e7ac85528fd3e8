package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.client.Clients;
import io.wharf.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Option;

/**
 * What {@code wharf group reset-offsets} does: moves a group's committed offsets for some topics to their start,
 * their end, an offset, a time, or by a number of records. Prints the plan; changes nothing unless told to execute
 * it. The group must have no active members, since they would overwrite the new offsets with their next commit. Used
 * once, on the command's thread.
 */
final class OffsetResetter {

    /** Which partitions: named topics, or every partition the group has an offset for. */
    static final class Scope {
        @Option(
                names = {"-t", "--topic"},
                paramLabel = "TOPIC[:P,P...]",
                description = "A topic, or some of its partitions; may be repeated.")
        List<String> topics;

        @Option(names = "--all-topics", description = "Every partition the group has committed an offset for.")
        boolean allTopics;
    }

    /** Where to move them: exactly one. */
    static final class Target {
        @Option(names = "--to-earliest", description = "To each partition's first record.")
        boolean earliest;

        @Option(names = "--to-latest", description = "To each partition's end: skip everything there now.")
        boolean latest;

        @Option(names = "--to-offset", paramLabel = "N", description = "To offset N.")
        Long offset;

        @Option(
                names = "--to-time",
                paramLabel = "TIME",
                description = "To the first record at or after TIME (epoch milliseconds or ISO-8601).")
        String time;

        @Option(
                names = "--shift-by",
                paramLabel = "N",
                description = "By N records from the committed offset; negative goes back.")
        Long shift;

        OffsetResetPlan.Strategy strategy() {
            if (earliest) {
                return new OffsetResetPlan.Strategy(OffsetResetPlan.Kind.EARLIEST, 0);
            }
            if (latest) {
                return new OffsetResetPlan.Strategy(OffsetResetPlan.Kind.LATEST, 0);
            }
            if (offset != null) {
                return new OffsetResetPlan.Strategy(OffsetResetPlan.Kind.OFFSET, offset);
            }
            if (time != null) {
                return new OffsetResetPlan.Strategy(OffsetResetPlan.Kind.TIME, StartPosition.parseTime(time));
            }
            return new OffsetResetPlan.Strategy(OffsetResetPlan.Kind.SHIFT, shift);
        }
    }

    private final Clients clients;
    private final PrintWriter out;
    private final PrintWriter err;
    private final String group;

    OffsetResetter(Clients clients, PrintWriter out, PrintWriter err, String group) {
        this.clients = clients;
        this.out = out;
        this.err = err;
        this.group = group;
    }

    /** Prints the plan for {@code scope} and {@code target}, and applies it when {@code execute} is set. */
    void reset(Scope scope, Target target, boolean execute) {
        ConsumerGroupDescription description = Groups.describe(clients, group);
        if (description != null && !description.members().isEmpty()) {
            throw CliException.failed(
                    "group '" + group + "' has " + description.members().size() + " active member(s); stop them"
                            + " before resetting its offsets",
                    null);
        }
        OffsetResetPlan plan = plan(scope, target.strategy());
        Table table = new Table("TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
        plan.rows().forEach(r -> table.row(r.partition().topic(), r.partition().partition(), r.current(), r.target()));
        table.print(out);
        if (!execute) {
            err.println("dry run: nothing changed; add --execute to apply");
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        plan.rows().forEach(r -> offsets.put(r.partition(), new OffsetAndMetadata(r.target())));
        clients.await(clients.admin().alterConsumerGroupOffsets(group, offsets).all());
        err.println("reset the offsets of group " + group + " on " + offsets.size() + " partition(s)");
    }

    private OffsetResetPlan plan(Scope scope, OffsetResetPlan.Strategy strategy) {
        Map<TopicPartition, Long> committed = Groups.committed(clients, group);
        List<TopicPartition> partitions = partitions(scope, committed);
        Map<TopicPartition, Long> atTime = strategy.kind() == OffsetResetPlan.Kind.TIME
                ? Topics.offsets(clients, partitions, OffsetSpec.forTimestamp(strategy.value()))
                : Map.of();
        return OffsetResetPlan.compute(
                strategy,
                partitions,
                committed,
                Topics.offsets(clients, partitions, OffsetSpec.earliest()),
                Topics.offsets(clients, partitions, OffsetSpec.latest()),
                atTime);
    }

    private List<TopicPartition> partitions(Scope scope, Map<TopicPartition, Long> committed) {
        if (scope.allTopics) {
            if (committed.isEmpty()) {
                throw CliException.usage("group '" + group + "' has no committed offsets; name topics with --topic");
            }
            return new ArrayList<>(committed.keySet());
        }
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (String spec : scope.topics) {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                partitions.addAll(Topics.partitions(clients, spec, null));
                continue;
            }
            String topic = spec.substring(0, colon);
            for (String number : spec.substring(colon + 1).split(",")) {
                int partition;
                try {
                    partition = Integer.parseInt(number.trim());
                } catch (NumberFormatException e) {
                    throw CliException.usage("--topic " + spec + ": '" + number + "' is not a partition number");
                }
                partitions.addAll(Topics.partitions(clients, topic, partition));
            }
        }
        return new ArrayList<>(partitions);
    }
}
