package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Wharf;
import io.wharf.cli.client.ClientOptions;
import io.wharf.cli.client.Clients;
import io.wharf.cli.output.OutputOption;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code wharf consume}: prints a topic's records, from the beginning, an offset, a time or the end, either reading
 * partitions directly or as a member of a consumer group that commits what it printed. Stops after a count, at the
 * end of the partitions, or on Ctrl-C. Picocli runs it once, on the caller's thread; the loop itself is
 * {@link ConsumeLoop}.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "consume",
        description = "Print a topic's records as they arrive, or the ones already there.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  wharf consume orders --from-beginning --exit-at-end",
            "  wharf consume orders --partition 0 --offset -10 --print-key",
            "  wharf consume orders --from-time 2024-05-01T00:00:00Z --output json --max-messages 100",
            "  wharf consume orders --group billing"
        })
public final class ConsumeCommand implements Callable<Integer> {

    /** The ways to choose a starting point; at most one may be given. */
    static final class Start {
        @Option(
                names = "--from-beginning",
                description = "Start at each partition's first record (with --group: only where the group has no"
                        + " committed offset).")
        boolean beginning;

        @Option(
                names = "--offset",
                paramLabel = "N",
                description = "Start at offset N of each partition; a negative N starts N records before the end.")
        Long offset;

        @Option(
                names = "--from-time",
                paramLabel = "TIME",
                description = "Start at the first record at or after TIME: epoch milliseconds or ISO-8601 such as"
                        + " 2024-05-01T12:00:00Z.")
        String time;
    }

    @Mixin
    private ClientOptions client;

    @Mixin
    private OutputOption output;

    @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
    private String topic;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Start start;

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "N",
            description = "Read only partition N (default: all of them).")
    private Integer partition;

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "Consume as a member of GROUP: partitions are shared with its other members, and the offsets"
                    + " of printed records are committed. Without it, no offsets are committed and the default start"
                    + " is the end.")
    private String group;

    @Option(
            names = {"-n", "--max-messages"},
            paramLabel = "N",
            description = "Stop after printing N records.")
    private Long maxMessages;

    @Option(
            names = {"-e", "--exit-at-end"},
            description = "Stop when every partition has been read up to where it ended when the command started"
                    + " (with --group: when it joined).")
    private boolean exitAtEnd;

    @Option(
            names = {"-k", "--print-key"},
            description = "Print each record's key before its value (plain output).")
    private boolean printKey;

    @Option(
            names = "--key-separator",
            paramLabel = "SEP",
            defaultValue = "\\t",
            description = "What --print-key puts between key and value (default: ${DEFAULT-VALUE}, a tab).")
    private String keySeparator;

    @ParentCommand
    private Wharf wharf;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        byte[] separator = printKey ? Escapes.separator("--key-separator", keySeparator) : null;
        RecordPrinter printer =
                new RecordPrinter(new BufferedOutputStream(wharf.stdout(), 64 * 1024), output.json(), separator);
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            List<TopicPartition> partitions = Topics.partitions(clients, topic, partition);
            ConsumeLoop loop;
            if (group == null) {
                // Every partition is positioned explicitly below; one whose offset retention deletes meanwhile
                // restarts at its earliest record rather than failing.
                KafkaConsumer<byte[], byte[]> consumer = clients.consumer(settings("earliest"));
                consumer.assign(partitions);
                Map<TopicPartition, Long> ends = Topics.offsets(clients, partitions, OffsetSpec.latest());
                seek(clients, consumer, partitions, ends);
                loop = ConsumeLoop.assigned(consumer, printer, ends);
            } else {
                boolean beginning = start != null && start.beginning;
                KafkaConsumer<byte[], byte[]> consumer = clients.consumer(settings(beginning ? "earliest" : "latest"));
                loop = ConsumeLoop.grouped(consumer, printer, topic, clients.timeout());
            }
            loop.run(
                    maxMessages == null ? Long.MAX_VALUE : maxMessages,
                    exitAtEnd,
                    spec.commandLine().getErr());
            return ExitCode.OK;
        }
    }

    private void validate() {
        if (maxMessages != null && maxMessages < 1) {
            throw CliException.usage("--max-messages must be at least 1");
        }
        if (group != null && partition != null) {
            throw CliException.usage("--partition cannot be used with --group: the group assigns partitions");
        }
        if (group != null && start != null && (start.offset != null || start.time != null)) {
            throw CliException.usage("--offset and --from-time cannot be used with --group; move the group's"
                    + " offsets with 'wharf group reset-offsets' instead");
        }
    }

    private StartPosition startPosition() {
        if (start == null) {
            return StartPosition.END;
        }
        if (start.beginning) {
            return StartPosition.BEGINNING;
        }
        if (start.offset != null) {
            return StartPosition.offset(start.offset);
        }
        return StartPosition.time(start.time);
    }

    /** Moves each assigned partition to where the options say, within the records the partition has. */
    private void seek(
            Clients clients,
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> ends) {
        StartPosition position = startPosition();
        Map<TopicPartition, Long> starts = Topics.offsets(clients, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> atTime = position.kind() == StartPosition.Kind.TIME
                ? Topics.offsets(clients, partitions, OffsetSpec.forTimestamp(position.value()))
                : Map.of();
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, position.resolve(starts.get(tp), ends.get(tp), atTime.getOrDefault(tp, -1L)));
        }
    }

    private Map<String, Object> settings(String offsetReset) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "wharf-consume");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return settings;
    }
}
