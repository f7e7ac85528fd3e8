package io.wharf.tests.process;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classic consumer group, a KIP-848 consumer group and a share group reading one topic under an {@code acks=all}
 * load while the broker coordinating them is killed (SIGKILL) and started again: the consumer groups skip nothing
 * that was acknowledged (their members reset to the latest offset when they find no commit, so a lost commit would
 * skip records), and the share group accepts every acknowledged record, with the broker's confirmation.
 */
class GroupFaultsTest {

    private static final int PARTITIONS = 3;

    @TempDir
    static Path dir;

    private static ProcessCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ProcessCluster.startLocal(
                dir,
                3,
                Map.of(
                        "group.share.min.record.lock.duration.ms", "1000",
                        "group.share.record.lock.duration.ms", "3000",
                        "group.consumer.heartbeat.interval.ms", "500",
                        "group.consumer.session.timeout.ms", "10000",
                        "group.share.heartbeat.interval.ms", "500",
                        "group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A group id whose coordinator partition (of three) is {@code partition}, so that the groups share one. */
    private static String groupId(String prefix, int partition) {
        for (int i = 0; ; i++) {
            String id = prefix + i;
            if ((id.hashCode() & 0x7fffffff) % 3 == partition) {
                return id;
            }
        }
    }

    @Test
    void consumerGroupsOfBothProtocolsSkipNothingThroughTheKillOfTheirCoordinator() throws Exception {
        String topic = "grouped";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        String classic = groupId("classic-", 0);
        String modern = groupId("modern-", 0);
        runThroughCoordinatorKills(
                topic,
                List.of(
                        GroupConsumers.consumerGroup(cluster.bootstrapServers(), classic, "classic", topic),
                        GroupConsumers.consumerGroup(cluster.bootstrapServers(), modern, "consumer", topic)),
                List.of(classic, modern),
                List.of(),
                consumer -> consumer.received);
    }

    @Test
    void aShareGroupAcceptsEveryRecordThroughTheKillOfItsCoordinator() throws Exception {
        String topic = "shared";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        String share = groupId("share-", 1);
        cluster.admin()
                .incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.GROUP, share),
                        List.of(new AlterConfigOp(
                                new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
        runThroughCoordinatorKills(
                topic,
                List.of(GroupConsumers.shareGroup(cluster.bootstrapServers(), share, topic)),
                List.of(),
                List.of(share),
                consumer -> consumer.accepted);
    }

    /**
     * Runs a load on {@code topic} while the groups' coordinators are killed and restarted, then waits until every
     * consumer's {@code got} holds every acknowledged value.
     */
    private static void runThroughCoordinatorKills(
            String topic,
            List<GroupConsumers> consumers,
            List<String> consumerGroups,
            List<String> shareGroups,
            Function<GroupConsumers, Set<String>> got)
            throws Exception {
        AckedLoad load = null;
        try {
            ProcessCluster.await(
                    60, "every group member polling", () -> consumers.stream().allMatch(GroupConsumers::started));
            load = new AckedLoad(cluster.bootstrapServers(), topic, PARTITIONS);
            for (int round = 0; round < ProcessCluster.rounds(1); round++) {
                load.awaitMoreAcks(300, 60);
                for (int coordinator : coordinators(consumerGroups, shareGroups)) {
                    ProcessCluster.step("round " + round + ": SIGKILL of node " + coordinator + ", a coordinator");
                    cluster.node(coordinator).kill();
                    load.awaitMoreAcks(300, 60);
                    cluster.restart(coordinator);
                    cluster.awaitBrokers(3);
                    cluster.awaitFullIsr(topic, 3, 60);
                }
            }
            load.awaitMoreAcks(200, 60);
            load.close();
            Set<String> acknowledged = new HashSet<>(load.acknowledged.values());
            ProcessCluster.await(
                    90,
                    "every acknowledged record consumed by every group",
                    () -> consumers.stream().allMatch(c -> got.apply(c).containsAll(acknowledged)));
        } catch (AssertionError e) {
            throw report(e, load, consumers, got);
        } finally {
            if (load != null) {
                load.close();
            }
            for (GroupConsumers consumer : consumers) {
                consumer.close();
            }
        }
    }

    /** The brokers coordinating the groups, as the cluster says (each once). */
    private static Set<Integer> coordinators(List<String> consumerGroups, List<String> shareGroups) throws Exception {
        Set<Integer> ids = new TreeSet<>();
        if (!consumerGroups.isEmpty()) {
            cluster.admin()
                    .describeConsumerGroups(consumerGroups)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .forEach(g -> ids.add(g.coordinator().id()));
        }
        if (!shareGroups.isEmpty()) {
            cluster.admin()
                    .describeShareGroups(shareGroups)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .forEach(g -> ids.add(g.coordinator().id()));
        }
        return ids;
    }

    private static AssertionError report(
            AssertionError e,
            AckedLoad load,
            List<GroupConsumers> consumers,
            Function<GroupConsumers, Set<String>> got) {
        if (load == null) {
            return e;
        }
        StringBuilder message = new StringBuilder(e.getMessage());
        for (GroupConsumers consumer : consumers) {
            Set<String> missing = new TreeSet<>(load.acknowledged.values());
            missing.removeAll(got.apply(consumer));
            Set<String> neverReceived = new TreeSet<>(missing);
            neverReceived.removeAll(consumer.received);
            message.append("\n")
                    .append(consumer.name())
                    .append(" is missing ")
                    .append(missing.size())
                    .append(" (never received ")
                    .append(neverReceived.size())
                    .append("): ")
                    .append(missing.stream().limit(20).toList())
                    .append(consumer.failures.isEmpty() ? "" : ", unconfirmed acknowledgements: " + consumer.failures);
        }
        return new AssertionError(message.toString(), e);
    }
}
