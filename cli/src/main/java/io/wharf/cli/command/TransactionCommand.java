package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.client.ClientOptions;
import io.wharf.cli.client.Clients;
import io.wharf.cli.output.Json;
import io.wharf.cli.output.OutputOption;
import io.wharf.cli.output.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wharf transaction list|describe}: transactional ids and their transactions through the Kafka admin API
 * (ListTransactions, DescribeTransactions), like {@code kafka-transactions.sh list} and {@code describe}. Picocli
 * runs one subcommand per instance, on the caller's thread.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "transaction",
        description = "List transactional ids and describe their transactions.")
public final class TransactionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** {@code wharf transaction} alone names no action. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "list",
            description = "List the transactional ids with their producer ids and transaction states, sorted by id.")
    int list(@Mixin ClientOptions client, @Mixin OutputOption output) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            List<TransactionListing> listings = new ArrayList<>(
                    clients.await(clients.admin().listTransactions().all()));
            listings.sort(Comparator.comparing(TransactionListing::transactionalId));
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                List<Object> result = new ArrayList<>();
                for (TransactionListing listing : listings) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("transactionalId", listing.transactionalId());
                    entry.put("producerId", listing.producerId());
                    entry.put("state", listing.state().toString());
                    result.add(entry);
                }
                out.println(Json.write(result));
            } else {
                Table table = new Table("TRANSACTIONAL-ID", "PRODUCER-ID", "STATE");
                listings.forEach(l -> table.row(l.transactionalId(), l.producerId(), l.state()));
                table.print(out);
            }
            return ExitCode.OK;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "describe",
            description = "Show a transactional id's coordinator, producer, state, timeout, start time and partitions.")
    int describe(
            @Mixin ClientOptions client,
            @Mixin OutputOption output,
            @Parameters(paramLabel = "TRANSACTIONAL-ID", description = "The transactional id to describe.") String id) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            TransactionDescription description;
            try {
                description = clients.await(
                        clients.admin().describeTransactions(List.of(id)).description(id));
            } catch (TransactionalIdNotFoundException e) {
                throw CliException.notFound("transactional id '" + id + "' not found");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("transactionalId", id);
            fields.put("coordinator", description.coordinatorId());
            fields.put("state", description.state().toString());
            fields.put("producerId", description.producerId());
            fields.put("producerEpoch", description.producerEpoch());
            fields.put("timeoutMs", description.transactionTimeoutMs());
            fields.put(
                    "started",
                    description.transactionStartTimeMs().isPresent()
                            ? Instant.ofEpochMilli(
                                            description.transactionStartTimeMs().getAsLong())
                                    .toString()
                            : null);
            List<String> partitions = description.topicPartitions().stream()
                    .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
                    .map(TopicPartition::toString)
                    .toList();
            fields.put("partitions", partitions);
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                out.println(Json.write(fields));
            } else {
                Table table = new Table("FIELD", "VALUE");
                fields.forEach((name, value) ->
                        table.row(name, value instanceof List<?> list ? String.join(",", partitions) : value));
                table.print(out);
            }
            return ExitCode.OK;
        }
    }
}
