package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topic and partition admin APIs driven by the real Admin client: DeleteTopics, CreatePartitions, DeleteRecords,
 * DescribeTopicPartitions (behind {@code describeTopics}) and DescribeLogDirs. Each test uses its own topics on one
 * shared broker. What the Admin client cannot send is covered by {@link AdminWireTest}.
 */
class AdminApisTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        admin = broker.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    @Test
    void deletesTopicsByNameAndTheirLogs() throws Exception {
        Uuid id = createTopic("doomed", 2);
        produce("doomed", 0, 5);
        Path logDir = broker.dataDir().resolve("doomed-0");
        assertThat(logDir).isDirectory();
        assertThat(describe("doomed").topicId()).isEqualTo(id);

        admin.deleteTopics(List.of("doomed")).all().get(30, TimeUnit.SECONDS);

        assertThat(admin.listTopics().names().get()).doesNotContain("doomed");
        assertThat(hosted("doomed", 0)).isEmpty();
        assertThat(hosted("doomed", 1)).isEmpty();
        assertThat(services().logManager().logs().keySet())
                .noneMatch(tp -> tp.topic().equals("doomed"));
        assertThat(logDir).doesNotExist();
        assertFails(admin.describeTopics(List.of("doomed")).allTopicNames(), UnknownTopicOrPartitionException.class);
        assertFails(admin.deleteTopics(List.of("doomed")).all(), UnknownTopicOrPartitionException.class);

        // The name is free again, and the new topic starts with an empty log.
        Uuid again = createTopic("doomed", 1);
        assertThat(again).isNotEqualTo(id);
        assertThat(hosted("doomed", 0).orElseThrow().log().logEndOffset()).isZero();
    }

    @Test
    void deletesTopicsById() throws Exception {
        Uuid id = createTopic("doomed-by-id", 1);
        createTopic("bystander", 1);

        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get(30, TimeUnit.SECONDS);

        assertThat(admin.listTopics().names().get())
                .doesNotContain("doomed-by-id")
                .contains("bystander");
        assertThat(hosted("doomed-by-id", 0)).isEmpty();
        assertThat(hosted("bystander", 0)).isPresent();
        assertFails(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all(), UnknownTopicIdException.class);
        assertFails(
                admin.deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid())))
                        .all(),
                UnknownTopicIdException.class);
    }

    @Test
    void refusesToDeleteWhenDeletionIsDisabled() throws Exception {
        try (TestBroker locked = TestBroker.start(Map.of("delete.topic.enable", "false"));
                Admin lockedAdmin = locked.admin()) {
            lockedAdmin
                    .createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            assertFails(lockedAdmin.deleteTopics(List.of("kept")).all(), TopicDeletionDisabledException.class);

            assertThat(lockedAdmin.listTopics().names().get()).contains("kept");
            assertThat(locked.broker().services().replicas().partition(new io.wharf.common.TopicPartition("kept", 0)))
                    .isPresent();
        }
    }

    @Test
    void growsTopicsAndRefusesCountsThatDoNotGrow() throws Exception {
        createTopic("growing", 1);

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3)))
                .all()
                .get(30, TimeUnit.SECONDS);

        assertThat(describe("growing").partitions())
                .extracting(TopicPartitionInfo::partition)
                .containsExactly(0, 1, 2);
        assertThat(hosted("growing", 2)).isPresent();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            long offset = producer.send(new ProducerRecord<>("growing", 2, null, "x".getBytes(UTF_8)))
                    .get(30, TimeUnit.SECONDS)
                    .offset();
            assertThat(offset).isZero();
        }

        assertFails(
                admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3)))
                        .all(),
                InvalidPartitionsException.class);
        assertFails(
                admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2)))
                        .all(),
                InvalidPartitionsException.class);
        assertFails(
                admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4, List.of(List.of(2)))))
                        .all(),
                InvalidReplicaAssignmentException.class);
        assertFails(
                admin.createPartitions(Map.of("no-such-topic", NewPartitions.increaseTo(4)))
                        .all(),
                UnknownTopicOrPartitionException.class);

        admin.createPartitions(
                        Map.of("growing", NewPartitions.increaseTo(5)),
                        new CreatePartitionsOptions().validateOnly(true))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(describe("growing").partitions()).hasSize(3);
        assertThat(hosted("growing", 3)).isEmpty();

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4, List.of(List.of(1)))))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(describe("growing").partitions()).hasSize(4);
        assertThat(hosted("growing", 3)).isPresent();
    }

    @Test
    void deleteRecordsMovesTheLowWatermark() throws Exception {
        createTopic("trimmed", 1);
        produce("trimmed", 0, 10);
        TopicPartition tp = new TopicPartition("trimmed", 0);
        PartitionReplica partition = hosted("trimmed", 0).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> partition.highWatermark() == 10);

        long lowWatermark = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4)))
                .lowWatermarks()
                .get(tp)
                .get(30, TimeUnit.SECONDS)
                .lowWatermark();

        assertThat(lowWatermark).isEqualTo(4);
        assertThat(partition.log().logStartOffset()).isEqualTo(4);
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                        .partitionResult(tp)
                        .get(30, TimeUnit.SECONDS)
                        .offset())
                .isEqualTo(4);
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = poll(consumer, 6);
            assertThat(records.get(0).offset()).isEqualTo(4);
            assertThat(new String(records.get(0).value(), UTF_8)).isEqualTo("v4");
        }

        assertFails(
                admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(11)))
                        .all(),
                OffsetOutOfRangeException.class);
        assertThat(partition.log().logStartOffset()).isEqualTo(4);

        long unchanged = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(2)))
                .lowWatermarks()
                .get(tp)
                .get(30, TimeUnit.SECONDS)
                .lowWatermark();
        assertThat(unchanged).isEqualTo(4);

        long toHighWatermark = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1)))
                .lowWatermarks()
                .get(tp)
                .get(30, TimeUnit.SECONDS)
                .lowWatermark();
        assertThat(toHighWatermark).isEqualTo(10);
        assertThat(partition.log().logStartOffset()).isEqualTo(10);
    }

    @Test
    void describeTopicsPagesThroughPartitions() throws Exception {
        Uuid first = createTopic("paged-a", 5);
        Uuid second = createTopic("paged-b", 3);

        Map<String, TopicDescription> described = admin.describeTopics(
                        List.of("paged-b", "paged-a"), new DescribeTopicsOptions().partitionSizeLimitPerResponse(2))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS);

        TopicDescription a = described.get("paged-a");
        TopicDescription b = described.get("paged-b");
        assertThat(a.topicId()).isEqualTo(first);
        assertThat(b.topicId()).isEqualTo(second);
        assertThat(a.isInternal()).isFalse();
        assertThat(a.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2, 3, 4);
        assertThat(b.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
        for (TopicPartitionInfo partition : a.partitions()) {
            assertThat(partition.leader().id()).isEqualTo(1);
            assertThat(partition.replicas()).extracting(n -> n.id()).containsExactly(1);
            assertThat(partition.isr()).extracting(n -> n.id()).containsExactly(1);
            assertThat(partition.elr()).isEmpty();
            assertThat(partition.lastKnownElr()).isEmpty();
        }
        assertFails(
                admin.describeTopics(List.of("paged-a", "paged-missing")).allTopicNames(),
                UnknownTopicOrPartitionException.class);
    }

    @Test
    void describeLogDirsReportsGrowingPartitionSizes() throws Exception {
        createTopic("sized", 2);
        TopicPartition tp = new TopicPartition("sized", 0);
        LogDirDescription before = logDir();
        assertThat(before.error()).isNull();
        assertThat(before.replicaInfos()).containsKeys(tp, new TopicPartition("sized", 1));
        long sizeBefore = before.replicaInfos().get(tp).size();

        produce("sized", 0, 50);

        LogDirDescription after = logDir();
        long expected = services()
                .logManager()
                .log(new io.wharf.common.TopicPartition("sized", 0))
                .orElseThrow()
                .sizeInBytes();
        // Each record went in its own batch, and a batch header alone is 61 bytes.
        assertThat(after.replicaInfos().get(tp).size()).isEqualTo(expected).isGreaterThan(sizeBefore + 50 * 61);
        assertThat(after.replicaInfos().get(tp).offsetLag()).isZero();
        assertThat(after.replicaInfos().get(tp).isFuture()).isFalse();
        assertThat(after.totalBytes().orElseThrow()).isPositive();
        assertThat(after.usableBytes().orElseThrow())
                .isPositive()
                .isLessThanOrEqualTo(after.totalBytes().getAsLong());
    }

    private static LogDirDescription logDir() throws Exception {
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1))
                .allDescriptions()
                .get(30, TimeUnit.SECONDS)
                .get(1);
        assertThat(dirs).containsOnlyKeys(broker.dataDir().toAbsolutePath().toString());
        return dirs.values().iterator().next();
    }

    private static BrokerServices services() {
        return broker.broker().services();
    }

    private static Optional<PartitionReplica> hosted(String topic, int partition) {
        return services().replicas().partition(new io.wharf.common.TopicPartition(topic, partition));
    }

    private static Uuid createTopic(String name, int partitions) throws Exception {
        return admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .topicId(name)
                .get(30, TimeUnit.SECONDS);
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
    }

    /** Sends {@code count} records valued "v0", "v1", …, one batch each, and waits for each acknowledgement. */
    private static void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, ("v" + i).getBytes(UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> consumer, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }

    static void assertFails(KafkaFuture<?> future, Class<? extends Throwable> expected) {
        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(expected);
    }
}
