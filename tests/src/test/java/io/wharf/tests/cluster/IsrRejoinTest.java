package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.controller.QuorumController;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker that restarts in a cluster with many partitions rejoins every ISR, and its leaders' ISR changes reach the
 * controller in batches: the controller writes far fewer ISR changes than there are partitions to rejoin.
 */
class IsrRejoinTest {

    private static final String TOPIC = "many";
    private static final int PARTITIONS = 200;

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().brokers(3).start();
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        EmbeddedCluster.await(
                60_000,
                "every ISR full",
                () -> partitions().stream().allMatch(p -> p.isr().size() == 3));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Collection<PartitionImage> partitions() {
        return cluster.image()
                .topic(TOPIC)
                .map(TopicImage::partitions)
                .map(m -> m.values())
                .orElse(List.of());
    }

    /** The ISR writes of the controllers running now. */
    private static long isrWrites() {
        return cluster.nodeIds().stream()
                .map(cluster::broker)
                .flatMap(Optional::stream)
                .map(b -> b.metadata().localController())
                .flatMap(Optional::stream)
                .mapToLong(QuorumController::isrWrites)
                .sum();
    }

    @Test
    void aRestartedBrokerRejoinsEveryIsrInFewControllerWrites() throws Exception {
        int active = cluster.activeController().orElseThrow();
        int restarted = cluster.nodeIds().stream()
                .filter(id -> id != active)
                .findFirst()
                .orElseThrow();
        cluster.kill(restarted);
        EmbeddedCluster.await(
                60_000,
                "broker " + restarted + " out of every ISR",
                () -> partitions().stream().noneMatch(p -> p.isr().contains(restarted)));
        long before = isrWrites();

        cluster.restart(restarted);
        EmbeddedCluster.await(
                120_000,
                "broker " + restarted + " back in every ISR",
                () -> partitions().stream().allMatch(p -> p.isr().contains(restarted)));

        long writes = isrWrites() - before;
        assertThat(writes).isPositive().isLessThan(PARTITIONS / 4);
    }
}
