package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.client.ClientOptions;
import io.wharf.cli.client.Clients;
import io.wharf.cli.output.Json;
import io.wharf.cli.output.OutputOption;
import io.wharf.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wharf group list|describe|reset-offsets|delete}: consumer groups through the Kafka admin API, one method
 * per subcommand ({@link GroupDescriber} and {@link OffsetResetter} do the larger two). Picocli runs one subcommand
 * per instance, on the caller's thread.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "group",
        description = "List, describe, reset the offsets of, and delete consumer groups.")
public final class GroupCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** {@code wharf group} alone names no action. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "list",
            description = "List the consumer groups with their states, sorted by name.")
    int list(@Mixin ClientOptions client, @Mixin OutputOption output) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            List<GroupListing> groups = new ArrayList<>(clients.await(clients.admin()
                    .listGroups(ListGroupsOptions.forConsumerGroups())
                    .all()));
            groups.sort(Comparator.comparing(GroupListing::groupId));
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                List<Object> result = new ArrayList<>();
                for (GroupListing group : groups) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("group", group.groupId());
                    entry.put("state", group.groupState().map(Object::toString).orElse(null));
                    entry.put("type", group.type().map(Object::toString).orElse(null));
                    result.add(entry);
                }
                out.println(Json.write(result));
            } else {
                Table table = new Table("GROUP", "STATE", "TYPE");
                groups.forEach(g -> table.row(
                        g.groupId(), g.groupState().orElse(null), g.type().orElse(null)));
                table.print(out);
            }
            return ExitCode.OK;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "describe",
            description = "Show a group's members, committed offsets and lag per partition.")
    int describe(
            @Mixin ClientOptions client,
            @Mixin OutputOption output,
            @Parameters(paramLabel = "GROUP", description = "The group to describe.") String group) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            new GroupDescriber(clients, spec.commandLine().getOut(), group).describe(output.json());
            return ExitCode.OK;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "reset-offsets",
            description = "Move a group's committed offsets (a dry run unless --execute is given).",
            footerHeading = "%nExamples:%n",
            footer = {
                "  wharf group reset-offsets billing --topic orders --to-earliest",
                "  wharf group reset-offsets billing --topic orders:0,1 --shift-by -100 --execute",
                "  wharf group reset-offsets billing --all-topics --to-time 2024-05-01T00:00:00Z --execute"
            })
    int resetOffsets(
            @Mixin ClientOptions client,
            @Parameters(paramLabel = "GROUP", description = "The group whose offsets to move.") String group,
            @ArgGroup(exclusive = true, multiplicity = "1") OffsetResetter.Scope scope,
            @ArgGroup(exclusive = true, multiplicity = "1") OffsetResetter.Target target,
            @Option(names = "--execute", description = "Apply the plan; without it only print it.") boolean execute) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            new OffsetResetter(
                            clients,
                            spec.commandLine().getOut(),
                            spec.commandLine().getErr(),
                            group)
                    .reset(scope, target, execute);
            return ExitCode.OK;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "delete",
            description = "Delete consumer groups that have no active members, with their offsets.")
    int delete(
            @Mixin ClientOptions client,
            @Parameters(paramLabel = "GROUP", arity = "1..*", description = "The groups to delete.")
                    List<String> groups) {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            Map<String, KafkaFuture<Void>> results =
                    clients.admin().deleteConsumerGroups(groups).deletedGroups();
            CliException firstFailure = null;
            for (String group : groups) {
                try {
                    clients.await(results.get(group));
                    spec.commandLine().getOut().println("deleted group " + group);
                } catch (GroupIdNotFoundException e) {
                    firstFailure = firstFailure != null ? firstFailure : Groups.notFound(group);
                } catch (GroupNotEmptyException e) {
                    firstFailure = firstFailure != null
                            ? firstFailure
                            : CliException.failed(
                                    "group '" + group + "' has active members; stop them before deleting it", e);
                }
            }
            if (firstFailure != null) {
                throw firstFailure;
            }
            return ExitCode.OK;
        }
    }
}
