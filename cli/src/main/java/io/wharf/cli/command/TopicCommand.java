package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.client.ClientOptions;
import io.wharf.cli.client.Clients;
import io.wharf.cli.output.Json;
import io.wharf.cli.output.OutputOption;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wharf topic create|list|describe|alter|delete}: topics through the Kafka admin API, one method per
 * subcommand ({@link TopicDescriber} does the describing). Picocli runs one subcommand per instance, on the caller's
 * thread.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "topic",
        description = "Create, list, describe, alter and delete topics.")
public final class TopicCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** {@code wharf topic} alone names no action. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    @Command(mixinStandardHelpOptions = true, name = "create", description = "Create a topic.")
    int create(
            @Mixin ClientOptions client,
            @Parameters(paramLabel = "TOPIC", description = "The topic's name.") String topic,
            @Option(
                            names = {"-p", "--partitions"},
                            paramLabel = "N",
                            description = "Number of partitions (default: the broker's num.partitions).")
                    Integer partitions,
            @Option(
                            names = {"-r", "--replication-factor"},
                            paramLabel = "N",
                            description = "Replicas per partition (default: the broker's default.replication.factor).")
                    Short replicationFactor,
            @Option(
                            names = {"-c", "--config"},
                            paramLabel = "KEY=VALUE",
                            description = "A topic setting, such as retention.ms=86400000; may be repeated.")
                    Map<String, String> configs,
            @Option(names = "--if-not-exists", description = "Succeed, changing nothing, if the topic exists.")
                    boolean ifNotExists) {
        if ((partitions != null && partitions < 1) || (replicationFactor != null && replicationFactor < 1)) {
            throw CliException.usage("--partitions and --replication-factor must be at least 1");
        }
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            NewTopic newTopic = new NewTopic(
                            topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                    .configs(configs == null ? Map.of() : configs);
            CreateTopicsResult result = clients.admin().createTopics(List.of(newTopic));
            try {
                clients.await(result.all());
            } catch (TopicExistsException e) {
                if (ifNotExists) {
                    out().println("topic " + topic + " already exists");
                    return ExitCode.OK;
                }
                throw CliException.failed("topic '" + topic + "' already exists", e);
            }
            out().println("created topic " + topic + " with " + orUnknown(clients, result.numPartitions(topic))
                    + " partitions, replication factor " + orUnknown(clients, result.replicationFactor(topic)));
            return ExitCode.OK;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List the topics' names, sorted.")
    int list(
            @Mixin ClientOptions client,
            @Mixin OutputOption output,
            @Option(names = "--internal", description = "Include internal topics such as __consumer_offsets.")
                    boolean internal) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            Collection<String> names = clients.await(clients.admin()
                    .listTopics(new ListTopicsOptions().listInternal(internal))
                    .names());
            List<String> sorted = new ArrayList<>(new TreeSet<>(names));
            if (output.json()) {
                out().println(Json.write(sorted));
            } else {
                sorted.forEach(out()::println);
            }
            return ExitCode.OK;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "describe",
            description = "Show topics' partitions, offsets and settings (all if none named).")
    int describe(
            @Mixin ClientOptions client,
            @Mixin OutputOption output,
            @Parameters(paramLabel = "TOPIC", arity = "0..*", description = "The topics to describe.")
                    List<String> topics) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            new TopicDescriber(clients, out(), spec.commandLine().getErr())
                    .describe(topics == null ? List.of() : topics, output.json());
            return ExitCode.OK;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "alter",
            description = "Add partitions to a topic, or change or remove its settings.")
    int alter(
            @Mixin ClientOptions client,
            @Parameters(paramLabel = "TOPIC", description = "The topic to change.") String topic,
            @Option(
                            names = {"-p", "--partitions"},
                            paramLabel = "N",
                            description = "The new, larger number of partitions.")
                    Integer partitions,
            @Option(
                            names = {"-c", "--config"},
                            paramLabel = "KEY=VALUE",
                            description = "Set a topic setting; may be repeated.")
                    Map<String, String> set,
            @Option(
                            names = "--delete-config",
                            paramLabel = "KEY",
                            description = "Remove a topic setting, so the broker's default applies; may be repeated.")
                    List<String> delete) {
        Map<String, String> toSet = set == null ? Map.of() : set;
        List<String> toDelete = delete == null ? List.of() : delete;
        if (partitions == null && toSet.isEmpty() && toDelete.isEmpty()) {
            throw CliException.usage("nothing to change: give --partitions, --config or --delete-config");
        }
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            requireTopic(clients, topic);
            if (partitions != null) {
                clients.await(clients.admin()
                        .createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
                        .all());
                out().println("topic " + topic + " now has " + partitions + " partitions");
            }
            if (!toSet.isEmpty() || !toDelete.isEmpty()) {
                List<AlterConfigOp> ops = new ArrayList<>();
                toSet.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                toDelete.forEach(
                        k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                clients.await(clients.admin()
                        .incrementalAlterConfigs(Map.of(resource, ops))
                        .all());
                toSet.forEach((k, v) -> out().println("set " + k + "=" + v + " on topic " + topic));
                toDelete.forEach(k -> out().println("removed " + k + " from topic " + topic));
            }
            return ExitCode.OK;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "delete", description = "Delete topics and all their records.")
    int delete(
            @Mixin ClientOptions client,
            @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "The topics to delete.")
                    List<String> topics,
            @Option(names = "--if-exists", description = "Succeed for a topic that does not exist.") boolean ifExists) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            Map<String, KafkaFuture<Void>> results =
                    clients.admin().deleteTopics(topics).topicNameValues();
            String missing = null;
            for (String topic : topics) {
                try {
                    clients.await(results.get(topic));
                    out().println("deleted topic " + topic);
                } catch (UnknownTopicOrPartitionException e) {
                    if (ifExists) {
                        out().println("topic " + topic + " does not exist");
                    } else if (missing == null) {
                        missing = topic;
                    }
                }
            }
            if (missing != null) {
                throw Topics.notFound(missing);
            }
            return ExitCode.OK;
        }
    }

    /** Fails with {@link ExitCode#NOT_FOUND} unless {@code topic} exists. */
    private static void requireTopic(Clients clients, String topic) {
        Topics.describe(clients, List.of(topic));
    }

    private static String orUnknown(Clients clients, KafkaFuture<?> value) {
        try {
            return String.valueOf(clients.await(value));
        } catch (RuntimeException e) {
            // Old brokers do not return the created topic's layout; the topic was still created.
            return "?";
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
