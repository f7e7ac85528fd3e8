package io.wharf.cli.command;

import io.wharf.cli.client.Clients;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * What {@code wharf cluster} shows, read through the Admin client: the brokers (fenced ones included), the
 * metadata quorum, the finalized features, and every partition that lacks a leader or in-sync replicas.
 *
 * @param quorum null when the cluster does not describe its quorum
 * @param partitions how many partitions the cluster has in all, internal topics included
 * @param unhealthy the partitions without a leader or with fewer in-sync replicas than replicas, by topic and
 *     partition
 */
record ClusterView(
        String clusterId,
        Node controller,
        List<Node> brokers,
        QuorumInfo quorum,
        Map<String, FinalizedVersionRange> features,
        int partitions,
        List<UnhealthyPartition> unhealthy) {

    /** A partition that is leaderless or under-replicated. */
    record UnhealthyPartition(String topic, int partition, Node leader, List<Node> replicas, List<Node> isr) {

        boolean leaderless() {
            return leader == null || leader.isEmpty();
        }

        String problem() {
            return leaderless() ? "leaderless" : "under-replicated";
        }
    }

    static ClusterView read(Clients clients) {
        DescribeClusterResult cluster =
                clients.admin().describeCluster(new DescribeClusterOptions().includeFencedBrokers(true));
        String clusterId = clients.await(cluster.clusterId());
        Node controller = clients.await(cluster.controller());
        List<Node> brokers = new ArrayList<>(clients.await(cluster.nodes()));
        brokers.sort(Comparator.comparingInt(Node::id));
        Map<String, FinalizedVersionRange> features =
                new TreeMap<>(clients.await(clients.admin().describeFeatures().featureMetadata())
                        .finalizedFeatures());
        QuorumInfo quorum =
                clients.await(clients.admin().describeMetadataQuorum().quorumInfo());
        Collection<String> topics = clients.await(clients.admin()
                .listTopics(new ListTopicsOptions().listInternal(true))
                .names());
        Map<String, TopicDescription> described = new TreeMap<>(
                clients.await(clients.admin().describeTopics(topics).allTopicNames()));
        int partitions = 0;
        List<UnhealthyPartition> unhealthy = new ArrayList<>();
        for (TopicDescription topic : described.values()) {
            for (TopicPartitionInfo p : topic.partitions()) {
                partitions++;
                boolean leaderless = p.leader() == null || p.leader().isEmpty();
                if (leaderless || p.isr().size() < p.replicas().size()) {
                    unhealthy.add(
                            new UnhealthyPartition(topic.name(), p.partition(), p.leader(), p.replicas(), p.isr()));
                }
            }
        }
        return new ClusterView(clusterId, controller, brokers, quorum, features, partitions, unhealthy);
    }

    long leaderless() {
        return unhealthy.stream().filter(UnhealthyPartition::leaderless).count();
    }

    long underReplicated() {
        return unhealthy.size() - leaderless();
    }
}
