package io.wharf.cli.command;

import io.wharf.cli.CliVersion;
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
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code wharf cluster}: the cluster id, the controller, the brokers and the feature levels the cluster has
 * finalized, with the version of this command. The Kafka protocol carries no broker software version, so the
 * feature levels are what says which protocol features the brokers have agreed on. Picocli runs it once, on the
 * caller's thread.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "cluster",
        description = "Show the cluster's id, controller, brokers and feature levels.")
public final class ClusterCommand implements Callable<Integer> {

    @Mixin
    private ClientOptions client;

    @Mixin
    private OutputOption output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        try (Clients clients = Clients.open(client)) {
            clients.checkReachable();
            DescribeClusterResult cluster = clients.admin().describeCluster();
            String clusterId = clients.await(cluster.clusterId());
            Node controller = clients.await(cluster.controller());
            List<Node> brokers = new ArrayList<>(clients.await(cluster.nodes()));
            brokers.sort(Comparator.comparingInt(Node::id));
            Map<String, FinalizedVersionRange> features = new TreeMap<>(
                    clients.await(clients.admin().describeFeatures().featureMetadata())
                            .finalizedFeatures());
            if (output.json()) {
                printJson(clusterId, controller, brokers, features);
            } else {
                printPlain(clusterId, controller, brokers, features);
            }
            return ExitCode.OK;
        }
    }

    private void printPlain(
            String clusterId, Node controller, List<Node> brokers, Map<String, FinalizedVersionRange> features) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("cluster id  " + clusterId);
        out.println("controller  " + (controller == null || controller.isEmpty() ? "none" : controller.id()));
        out.println("features    " + (features.isEmpty() ? "none finalized" : featureList(features)));
        out.println("version     wharf " + CliVersion.current() + " (this command)");
        out.println();
        Table table = new Table("BROKER", "HOST", "PORT", "RACK");
        brokers.forEach(b -> table.row(b.id(), b.host(), b.port(), b.rack()));
        table.print(out);
    }

    private void printJson(
            String clusterId, Node controller, List<Node> brokers, Map<String, FinalizedVersionRange> features) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("clusterId", clusterId);
        result.put("controller", controller == null || controller.isEmpty() ? null : controller.id());
        List<Object> nodes = new ArrayList<>();
        for (Node broker : brokers) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", broker.id());
            node.put("host", broker.host());
            node.put("port", broker.port());
            node.put("rack", broker.rack());
            nodes.add(node);
        }
        result.put("brokers", nodes);
        Map<String, Object> levels = new LinkedHashMap<>();
        features.forEach((name, range) -> {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("min", range.minVersionLevel());
            level.put("max", range.maxVersionLevel());
            levels.put(name, level);
        });
        result.put("features", levels);
        result.put("version", CliVersion.current());
        spec.commandLine().getOut().println(Json.write(result));
    }

    private static String featureList(Map<String, FinalizedVersionRange> features) {
        return features.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().maxVersionLevel())
                .collect(Collectors.joining(","));
    }
}
