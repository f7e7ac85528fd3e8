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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code wharf cluster}: the cluster id, the controller, the metadata quorum (voters, leader, epoch, lag), the
 * brokers (fenced or not, rack), the feature levels the cluster has finalized, and the partitions that are leaderless
 * or under-replicated, with the version of this command. The Kafka protocol carries no broker software version, so
 * the feature levels are what says which protocol features the brokers have agreed on. Picocli runs it once, on the
 * caller's thread.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "cluster",
        description = "Show the cluster's id, controller quorum, brokers, feature levels and unhealthy partitions.")
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
            ClusterView view = ClusterView.read(clients);
            if (output.json()) {
                spec.commandLine().getOut().println(Json.write(json(view)));
            } else {
                printPlain(view);
            }
            return ExitCode.OK;
        }
    }

    private void printPlain(ClusterView view) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("cluster id  " + view.clusterId());
        out.println("controller  " + nodeId(view.controller()));
        QuorumInfo quorum = view.quorum();
        out.println("quorum      leader " + quorum.leaderId() + ", epoch " + quorum.leaderEpoch() + ", high watermark "
                + quorum.highWatermark());
        out.println("features    " + (view.features().isEmpty() ? "none finalized" : featureList(view.features())));
        out.println("version     wharf " + CliVersion.current() + " (this command)");
        out.println("partitions  " + view.partitions() + " in all, " + view.underReplicated() + " under-replicated, "
                + view.leaderless() + " leaderless");
        out.println();
        Table brokers = new Table("BROKER", "HOST", "PORT", "RACK", "STATE");
        view.brokers()
                .forEach(b -> brokers.row(b.id(), b.host(), b.port(), b.rack(), b.isFenced() ? "fenced" : "active"));
        brokers.print(out);
        out.println();
        Table voters = new Table("VOTER", "ROLE", "LOG END", "LAG");
        for (QuorumInfo.ReplicaState voter : quorum.voters()) {
            voters.row(
                    voter.replicaId(),
                    voter.replicaId() == quorum.leaderId() ? "leader" : "follower",
                    voter.logEndOffset(),
                    Math.max(0, quorum.highWatermark() - voter.logEndOffset()));
        }
        voters.print(out);
        if (!view.unhealthy().isEmpty()) {
            out.println();
            Table partitions = new Table("TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "PROBLEM");
            for (ClusterView.UnhealthyPartition p : view.unhealthy()) {
                partitions.row(
                        p.topic(), p.partition(), nodeId(p.leader()), ids(p.replicas()), ids(p.isr()), p.problem());
            }
            partitions.print(out);
        }
    }

    private static Map<String, Object> json(ClusterView view) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("clusterId", view.clusterId());
        result.put("controller", present(view.controller()) ? view.controller().id() : null);
        List<Object> nodes = new ArrayList<>();
        for (Node broker : view.brokers()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", broker.id());
            node.put("host", broker.host());
            node.put("port", broker.port());
            node.put("rack", broker.rack());
            node.put("fenced", broker.isFenced());
            nodes.add(node);
        }
        result.put("brokers", nodes);
        QuorumInfo quorum = view.quorum();
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("leader", quorum.leaderId());
        q.put("epoch", quorum.leaderEpoch());
        q.put("highWatermark", quorum.highWatermark());
        List<Object> voters = new ArrayList<>();
        for (QuorumInfo.ReplicaState voter : quorum.voters()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", voter.replicaId());
            v.put("logEndOffset", voter.logEndOffset());
            v.put("lag", Math.max(0, quorum.highWatermark() - voter.logEndOffset()));
            voters.add(v);
        }
        q.put("voters", voters);
        result.put("quorum", q);
        Map<String, Object> levels = new LinkedHashMap<>();
        view.features().forEach((name, range) -> {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("min", range.minVersionLevel());
            level.put("max", range.maxVersionLevel());
            levels.put(name, level);
        });
        result.put("features", levels);
        Map<String, Object> partitions = new LinkedHashMap<>();
        partitions.put("total", view.partitions());
        partitions.put("underReplicated", view.underReplicated());
        partitions.put("leaderless", view.leaderless());
        List<Object> unhealthy = new ArrayList<>();
        for (ClusterView.UnhealthyPartition p : view.unhealthy()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("topic", p.topic());
            u.put("partition", p.partition());
            u.put("leader", present(p.leader()) ? p.leader().id() : null);
            u.put("replicas", p.replicas().stream().map(Node::id).toList());
            u.put("isr", p.isr().stream().map(Node::id).toList());
            u.put("problem", p.problem());
            unhealthy.add(u);
        }
        partitions.put("unhealthy", unhealthy);
        result.put("partitions", partitions);
        result.put("version", CliVersion.current());
        return result;
    }

    private static boolean present(Node node) {
        return node != null && !node.isEmpty();
    }

    private static String nodeId(Node node) {
        return present(node) ? String.valueOf(node.id()) : "none";
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(","));
    }

    private static String featureList(Map<String, FinalizedVersionRange> features) {
        return features.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().maxVersionLevel())
                .collect(Collectors.joining(","));
    }
}
