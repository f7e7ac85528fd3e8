package io.wharf.tests.cluster;

import io.wharf.common.TopicId;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Where a cluster test's share group lives: which broker leads a data partition, which one is the group's coordinator
 * (its {@code __consumer_offsets} partition) and which one holds a share-partition's state (its
 * {@code __share_group_state} partition), computed with the brokers' own rules from the newest metadata.
 */
final class SharePlacement {

    private final EmbeddedCluster cluster;

    SharePlacement(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    TopicId topicId(String topic) {
        return cluster.image().topic(topic).orElseThrow().id();
    }

    /** The broker that coordinates {@code groupId}. */
    int groupCoordinator(String groupId) {
        TopicImage offsets = cluster.image().topic(GroupCoordinator.TOPIC).orElseThrow();
        return offsets.partitions()
                .get(GroupCoordinator.partitionFor(groupId, offsets.partitionCount()))
                .leader();
    }

    /** The broker whose share coordinator holds the state of {@code groupId}'s share-partition of a partition. */
    int shareCoordinator(String groupId, String topic, int partition) {
        MetadataImage image = cluster.image();
        TopicImage state = image.topic(ShareCoordinator.TOPIC).orElseThrow();
        SharePartitionKey key = new SharePartitionKey(groupId, topicId(topic), partition);
        return state.partitions()
                .get(ShareCoordinator.partitionFor(key, state.partitionCount()))
                .leader();
    }

    /**
     * A new group id whose coordinator and share-partition state (of {@code topic}-{@code partition}) are on brokers
     * other than {@code leader}, and on two different ones when the leaderships allow it.
     */
    String groupAwayFrom(String prefix, String topic, int partition, int leader) {
        for (boolean apart : new boolean[] {true, false}) {
            for (int i = 0; i < 10_000; i++) {
                String groupId = prefix + "-" + i;
                int coordinator = groupCoordinator(groupId);
                int state = shareCoordinator(groupId, topic, partition);
                if (coordinator != leader && state != leader && (!apart || coordinator != state)) {
                    return groupId;
                }
            }
        }
        throw new AssertionError("every group id of " + prefix + " lives on broker " + leader);
    }

    /**
     * The broker that leads the fewest partitions of {@code __consumer_offsets} and {@code __share_group_state}: a
     * data partition led there leaves the most room to put its group's coordinator and state on the other two (a
     * broker that was restarted leads none until leaderships move again).
     */
    int leastLoaded() {
        Map<Integer, Integer> led = new HashMap<>();
        cluster.nodeIds().forEach(id -> led.put(id, 0));
        for (String internal : List.of(GroupCoordinator.TOPIC, ShareCoordinator.TOPIC)) {
            cluster.image()
                    .topic(internal)
                    .orElseThrow()
                    .partitions()
                    .values()
                    .forEach(p -> led.merge(p.leader(), 1, Integer::sum));
        }
        return led.entrySet().stream()
                .min(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    /** Creates a topic with one partition per replica list, each led by its list's first broker, and waits for it. */
    void createTopic(Admin admin, String topic, Map<Integer, List<Integer>> replicas, Map<String, String> configs)
            throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, replicas).configs(configs)))
                .all()
                .get(60, TimeUnit.SECONDS);
        EmbeddedCluster.await(
                60_000,
                topic + " led as assigned",
                () -> replicas.entrySet().stream()
                        .allMatch(e -> cluster.leaderOf(topic, e.getKey())
                                == e.getValue().get(0)));
    }
}
