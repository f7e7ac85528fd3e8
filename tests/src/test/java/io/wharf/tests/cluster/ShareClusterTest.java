package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.tests.ChildJvm;
import io.wharf.tests.ChildShareConsumer;
import io.wharf.tests.WireClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Share groups on three brokers, with real {@code KafkaShareConsumer}s: the data partition's leader runs the
 * share-partition, the share coordinator of another broker keeps its state, and the group coordinator may be a third.
 * Every record is consumed exactly to acceptance; killing the data partition's leader, the share coordinator's broker
 * or the group coordinator's broker mid-consumption skips nothing and resets no delivery count; a dead-letter topic led elsewhere receives the
 * dead letters; a consumer that dies has its records given back by the broker that holds them once its group
 * coordinator, on another broker, removes it.
 */
class ShareClusterTest {

    private static EmbeddedCluster cluster;
    private static SharePlacement placement;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder()
                .brokers(3)
                .config("share.coordinator.state.topic.replication.factor", "3")
                .config("share.coordinator.state.topic.num.partitions", "6")
                .config("offsets.topic.replication.factor", "3")
                .config("offsets.topic.num.partitions", "6")
                .config("min.insync.replicas", "2")
                .config("group.share.min.record.lock.duration.ms", "1000")
                .config("group.share.min.heartbeat.interval.ms", "200")
                .config("group.share.heartbeat.interval.ms", "500")
                .config("group.share.min.session.timeout.ms", "3000")
                .start();
        placement = new SharePlacement(cluster);
        admin = Clients.admin(cluster.bootstrapServers());
        // The first share group creates __consumer_offsets and __share_group_state; the tests place their groups on
        // the partitions of both.
        placement.createTopic(admin, "warm-up", Map.of(0, List.of(1, 2, 3)), Map.of());
        produce("warm-up", 1);
        String group = "warm-up-group";
        setGroupConfigs(group, Map.of("share.auto.offset.reset", "earliest"));
        try (ShareWorkload warmUp = new ShareWorkload(cluster.bootstrapServers(), group, "warm-up", -1, v -> false)) {
            warmUp.start(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> warmUp.confirmed.size() == 1);
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        cluster.close();
    }

    private static void setGroupConfigs(String group, Map<String, String> configs) throws Exception {
        List<AlterConfigOp> ops = new ArrayList<>();
        configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer =
                Clients.producer(cluster.bootstrapServers(), Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, topic + "-" + i)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static Set<String> values(String topic, int count) {
        Set<String> values = new HashSet<>();
        for (int i = 0; i < count; i++) {
            values.add(topic + "-" + i);
        }
        return values;
    }

    /** The group's start offset of each partition of {@code topic}, as its group coordinator describes it. */
    private static Map<Integer, Long> startOffsets(String group, String topic) throws Exception {
        Map<Integer, Long> offsets = new HashMap<>();
        Map<TopicPartition, SharePartitionOffsetInfo> described = admin.listShareGroupOffsets(
                        Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group)
                .get(30, TimeUnit.SECONDS);
        described.forEach((tp, info) -> {
            if (tp.topic().equals(topic) && info != null) {
                offsets.put(tp.partition(), info.startOffset());
            }
        });
        return offsets;
    }

    /** Whether every record of {@code topic}'s partition 0 is acknowledged or archived: the start offset passed all. */
    private static boolean allDone(String group, String topic, long count) {
        try {
            return startOffsets(group, topic).getOrDefault(0, -1L) == count;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** Where a group lives: the data leader, the group coordinator, the share coordinator. */
    private record Spread(String group, int leader, int coordinator, int state) {}

    /** A group whose coordinator and share-partition state are away from the leader of {@code topic}-0. */
    private static Spread spread(String topic) {
        int leader = cluster.leaderOf(topic, 0);
        String group = placement.groupAwayFrom(topic + "-group", topic, 0, leader);
        return new Spread(
                group, leader, placement.groupCoordinator(group), placement.shareCoordinator(group, topic, 0));
    }

    private static Map<Integer, List<Integer>> ledBy(int leader) {
        List<Integer> replicas = new ArrayList<>(List.of(leader));
        cluster.nodeIds().stream().filter(n -> n != leader).forEach(replicas::add);
        return Map.of(0, replicas);
    }

    @Test
    void aShareGroupWhoseStateAndCoordinatorAreOnOtherBrokersConsumesEveryRecordToAcceptance() throws Exception {
        String topic = "spread";
        placement.createTopic(admin, topic, ledBy(placement.leastLoaded()), Map.of());
        Spread spread = spread(topic);
        String group = spread.group();
        setGroupConfigs(group, Map.of("share.auto.offset.reset", "earliest"));
        int total = 200;
        produce(topic, total);

        try (ShareWorkload load = new ShareWorkload(cluster.bootstrapServers(), group, topic, -1, v -> false)) {
            load.start(2);
            await().atMost(Duration.ofSeconds(90)).until(() -> load.confirmed.size() == total);
            assertThat(load.confirmed).isEqualTo(values(topic, total));
            synchronized (load.redeliveredAfterConfirmation) {
                assertThat(load.redeliveredAfterConfirmation).isEmpty();
            }
            assertThat(load.deliveryCounts.values())
                    .as("nothing failed, so every record was delivered once")
                    .allSatisfy(counts -> assertThat(counts).containsExactly(1));
        }
        assertThat(startOffsets(group, topic))
                .as("the group coordinator asked the share coordinator on another broker")
                .containsEntry(0, (long) total);
        assertThat(Set.of(spread.leader(), spread.coordinator(), spread.state()))
                .as("data leader, group coordinator and share coordinator were three brokers")
                .hasSize(3);

        // What a Kafka broker's persister would do: find the share coordinator, then read the state summary there.
        String key = group + ":" + placement.topicId(topic) + ":0";
        try (WireClient anyBroker = new WireClient(cluster.address(spread.leader()))) {
            FindCoordinatorResponseData found = anyBroker.send(
                    ApiKeys.FIND_COORDINATOR,
                    (short) 6,
                    new FindCoordinatorRequestData().setKeyType((byte) 2).setCoordinatorKeys(List.of(key)));
            assertThat(found.coordinators().get(0).nodeId()).isEqualTo(spread.state());
        }
        try (WireClient stateBroker = new WireClient(cluster.address(spread.state()))) {
            ReadShareGroupStateSummaryResponseData summary = stateBroker.send(
                    ApiKeys.READ_SHARE_GROUP_STATE_SUMMARY,
                    (short) 1,
                    new ReadShareGroupStateSummaryRequestData()
                            .setGroupId(group)
                            .setTopics(List.of(new ReadShareGroupStateSummaryRequestData.ReadStateSummaryData()
                                    .setTopicId(admin.describeTopics(List.of(topic))
                                            .allTopicNames()
                                            .get(30, TimeUnit.SECONDS)
                                            .get(topic)
                                            .topicId())
                                    .setPartitions(List.of(new ReadShareGroupStateSummaryRequestData.PartitionData()
                                            .setPartition(0)
                                            .setLeaderEpoch(-1))))));
            ReadShareGroupStateSummaryResponseData.PartitionResult state =
                    summary.results().get(0).partitions().get(0);
            assertThat(state.errorCode()).isZero();
            assertThat(state.startOffset()).isEqualTo(total);
            assertThat(state.leaderEpoch())
                    .as("the data partition's leader epoch, which fences its writes")
                    .isEqualTo(cluster.image()
                            .topic(topic)
                            .orElseThrow()
                            .partitions()
                            .get(0)
                            .leaderEpoch());
        }
    }

    @Test
    void groupsAndShareGroupsWhoseCoordinatorsLiveOnDifferentBrokersBothReadEverything() throws Exception {
        String topic = "both-kinds";
        placement.createTopic(admin, topic, ledBy(placement.leastLoaded()), Map.of());
        int total = 50;
        produce(topic, total);
        String shareGroup = spread(topic).group();
        String consumerGroup = "both-consumer";
        for (int i = 0; placement.groupCoordinator(consumerGroup) == placement.groupCoordinator(shareGroup); i++) {
            consumerGroup = "both-consumer-" + i;
        }
        setGroupConfigs(shareGroup, Map.of("share.auto.offset.reset", "earliest"));

        Set<String> read = new HashSet<>();
        try (ShareWorkload shares = new ShareWorkload(cluster.bootstrapServers(), shareGroup, topic, -1, v -> false);
                KafkaConsumer<String, String> consumer = Clients.consumer(
                        cluster.bootstrapServers(), Map.of("group.id", consumerGroup, "group.protocol", "consumer"))) {
            shares.start(1);
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> read.add(r.value()));
                return read.size() == total && shares.confirmed.size() == total;
            });
            consumer.commitSync();
        }
        assertThat(read).isEqualTo(values(topic, total));
        assertThat(placement.groupCoordinator(consumerGroup))
                .as("the consumer group and the share group have different coordinators")
                .isNotEqualTo(placement.groupCoordinator(shareGroup));
        assertThat(admin.listConsumerGroupOffsets(consumerGroup)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS)
                        .get(new TopicPartition(topic, 0))
                        .offset())
                .isEqualTo(total);
    }

    @Test
    void killingTheDataPartitionsLeaderSkipsNothingAndResetsNoDeliveryCount() throws Exception {
        String topic = "leader-killed";
        placement.createTopic(admin, topic, ledBy(placement.leastLoaded()), Map.of());
        Spread spread = spread(topic);
        String group = spread.group();
        setGroupConfigs(
                group,
                Map.of(
                        "share.auto.offset.reset", "earliest",
                        "share.record.lock.duration.ms", "2000",
                        "share.delivery.count.limit", "10",
                        "errors.deadletterqueue.topic.name", "dlq." + group));
        int total = 300;
        produce(topic, total);

        try (ShareWorkload load = new ShareWorkload(cluster.bootstrapServers(), group, topic, total / 3, v -> false)) {
            load.start(2);
            assertThat(load.holding.await(90, TimeUnit.SECONDS)).isTrue();
            cluster.kill(spread.leader());
            try {
                load.resume();
                await().atMost(Duration.ofSeconds(120)).until(() -> allDone(group, topic, total));
                await().atMost(Duration.ofSeconds(30)).until(() -> load.received.size() == total);
            } finally {
                cluster.restart(spread.leader());
                cluster.awaitReady(60_000);
            }
            assertFailoverLostNothing(load, topic, total, group);
        }
    }

    @Test
    void killingTheShareCoordinatorsBrokerSkipsNothingAndResetsNoDeliveryCount() throws Exception {
        String topic = "state-killed";
        placement.createTopic(admin, topic, ledBy(placement.leastLoaded()), Map.of());
        Spread spread = spread(topic);
        String group = spread.group();
        setGroupConfigs(
                group,
                Map.of(
                        "share.auto.offset.reset", "earliest",
                        "share.record.lock.duration.ms", "2000",
                        "share.delivery.count.limit", "10",
                        "errors.deadletterqueue.topic.name", "dlq." + group));
        int total = 300;
        produce(topic, total);

        try (ShareWorkload load = new ShareWorkload(cluster.bootstrapServers(), group, topic, total / 3, v -> false)) {
            load.start(2);
            assertThat(load.holding.await(90, TimeUnit.SECONDS)).isTrue();
            cluster.kill(spread.state());
            try {
                // The share-partition's leader lives on: the held records come back only once their locks expire,
                // which must happen before their late acknowledgements are sent (they would be accepted otherwise).
                await().atMost(Duration.ofSeconds(60)).until(() -> load.heldRecordWasDeliveredAgain());
                load.resume();
                await().atMost(Duration.ofSeconds(120)).until(() -> allDone(group, topic, total));
                await().atMost(Duration.ofSeconds(30)).until(() -> load.received.size() == total);
                assertThat(placement.shareCoordinator(group, topic, 0))
                        .as("another broker took the share-partition's state over")
                        .isNotEqualTo(spread.state());
            } finally {
                cluster.restart(spread.state());
                cluster.awaitReady(60_000);
            }
            assertFailoverLostNothing(load, topic, total, group);
        }
    }

    @Test
    void killingTheGroupCoordinatorsBrokerSkipsNothing() throws Exception {
        String topic = "coordinator-killed";
        placement.createTopic(admin, topic, ledBy(placement.leastLoaded()), Map.of());
        Spread spread = spread(topic);
        String group = spread.group();
        setGroupConfigs(
                group,
                Map.of(
                        "share.auto.offset.reset", "earliest",
                        "share.record.lock.duration.ms", "2000",
                        "share.delivery.count.limit", "10",
                        "errors.deadletterqueue.topic.name", "dlq." + group));
        int total = 300;
        produce(topic, total);

        try (ShareWorkload load = new ShareWorkload(cluster.bootstrapServers(), group, topic, total / 3, v -> false)) {
            load.start(2);
            assertThat(load.holding.await(90, TimeUnit.SECONDS)).isTrue();
            cluster.kill(spread.coordinator());
            try {
                load.resume();
                await().atMost(Duration.ofSeconds(120)).until(() -> allDone(group, topic, total));
                await().atMost(Duration.ofSeconds(30)).until(() -> load.received.size() == total);
                assertThat(placement.groupCoordinator(group))
                        .as("another broker took the group over")
                        .isNotEqualTo(spread.coordinator());
            } finally {
                cluster.restart(spread.coordinator());
                cluster.awaitReady(60_000);
            }
            load.close();
            assertThat(load.received).as("every record was delivered").isEqualTo(values(topic, total));
            synchronized (load.redeliveredAfterConfirmation) {
                assertThat(load.redeliveredAfterConfirmation)
                        .as("no record whose acceptance was confirmed came back")
                        .isEmpty();
            }
            assertThat(load.countsThatWentBack())
                    .as("no delivery count went back")
                    .isEmpty();
            assertThat(cluster.image().topic("dlq." + group))
                    .as("nothing was archived: every record was accepted")
                    .isEmpty();
        }
    }

    private static void assertFailoverLostNothing(ShareWorkload load, String topic, int total, String group)
            throws InterruptedException {
        load.close();
        assertThat(load.received).as("every record was delivered").isEqualTo(values(topic, total));
        assertThat(load.heldAcrossTheFailure)
                .as("records were in flight when the broker died")
                .isNotEmpty();
        synchronized (load.redeliveredAfterConfirmation) {
            assertThat(load.redeliveredAfterConfirmation)
                    .as("no record whose acceptance was confirmed came back")
                    .isEmpty();
        }
        assertThat(load.countsThatWentBack()).as("no delivery count went back").isEmpty();
        assertThat(load.heldRecordWasDeliveredAgain())
                .as("records held across the failure were delivered again, counting the delivery before it")
                .isTrue();
        assertThat(cluster.image().topic("dlq." + group))
                .as("nothing was archived (there would be dead letters): every record was accepted")
                .isEmpty();
    }

    @Test
    void aDeadLetterTopicLedByAnotherBrokerReceivesTheDeadLetters() throws Exception {
        String topic = "rejecting";
        String deadLetters = "dlq.rejecting";
        placement.createTopic(admin, topic, ledBy(1), Map.of());
        placement.createTopic(admin, deadLetters, ledBy(3), Map.of("errors.deadletterqueue.group.enable", "true"));
        String group = spread(topic).group();
        setGroupConfigs(
                group, Map.of("share.auto.offset.reset", "earliest", "errors.deadletterqueue.topic.name", deadLetters));
        int total = 60;
        produce(topic, total);
        Set<String> rejected = new HashSet<>();
        for (int i = 0; i < total; i += 5) {
            rejected.add(topic + "-" + i);
        }

        try (ShareWorkload load = new ShareWorkload(cluster.bootstrapServers(), group, topic, -1, rejected::contains)) {
            load.start(1);
            await().atMost(Duration.ofSeconds(90)).until(() -> allDone(group, topic, total));
        }
        Map<String, Map<String, String>> copies = new HashMap<>();
        try (KafkaConsumer<String, String> reader = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            TopicPartition partition = new TopicPartition(deadLetters, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(100))) {
                    Map<String, String> headers = new HashMap<>();
                    for (Header header : record.headers()) {
                        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                    }
                    copies.put(record.value(), headers);
                }
                return copies.size() >= rejected.size();
            });
        }
        assertThat(copies.keySet()).isEqualTo(rejected);
        assertThat(copies.get(topic + "-5"))
                .containsEntry("__dlq.errors.topic", topic)
                .containsEntry("__dlq.errors.offset", "5")
                .containsEntry("__dlq.errors.group", group)
                .containsEntry("__dlq.errors.message", "Offset rejected by client.");
        assertThat(cluster.leaderOf(deadLetters, 0)).isNotEqualTo(cluster.leaderOf(topic, 0));
    }

    @Test
    void aDeadConsumersRecordsAreGivenBackByTheirLeaderOnceItsCoordinatorElsewhereRemovesIt() throws Exception {
        String topic = "abandoned";
        placement.createTopic(admin, topic, ledBy(3), Map.of());
        String group = spread(topic).group();
        setGroupConfigs(
                group,
                Map.of(
                        "share.auto.offset.reset", "earliest",
                        "share.session.timeout.ms", "3000",
                        "share.record.lock.duration.ms", "60000"));
        produce(topic, 20);

        Map<String, Integer> childGot = new ConcurrentHashMap<>();
        AtomicBoolean holding = new AtomicBoolean();
        Process child = ChildJvm.start(
                ChildShareConsumer.class,
                line -> {
                    if (line.startsWith("GOT ")) {
                        String[] parts = line.split(" ");
                        childGot.put(parts[1], Integer.parseInt(parts[2]));
                    } else if (line.equals("HOLDING")) {
                        holding.set(true);
                    }
                },
                cluster.bootstrapServers(),
                group,
                topic);
        Map<String, Short> survivorGot = new ConcurrentHashMap<>();
        long killedAt;
        try {
            await().atMost(Duration.ofSeconds(60)).untilTrue(holding);
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            killedAt = System.nanoTime();
            Properties properties = new Properties();
            properties.put("bootstrap.servers", cluster.bootstrapServers());
            properties.put("group.id", group);
            try (KafkaShareConsumer<String, String> survivor =
                    new KafkaShareConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
                survivor.subscribe(List.of(topic));
                await().atMost(Duration.ofSeconds(45)).until(() -> {
                    survivor.poll(Duration.ofMillis(100))
                            .forEach(r ->
                                    survivorGot.put(r.value(), r.deliveryCount().orElseThrow()));
                    return survivorGot.keySet().containsAll(childGot.keySet());
                });
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(childGot).isNotEmpty();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt))
                .as("given back on the member's removal, long before its 60 s locks would have run out")
                .isLessThan(40);
        childGot.keySet()
                .forEach(value -> assertThat(survivorGot.get(value))
                        .as("%s was held by the killed consumer", value)
                        .isEqualTo((short) 2));
        assertThat(placement.groupCoordinator(group)).isNotEqualTo(cluster.leaderOf(topic, 0));
    }
}
