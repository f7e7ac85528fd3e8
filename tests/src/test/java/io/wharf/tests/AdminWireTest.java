package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topic admin APIs at the wire, for what the Admin client does not send: old versions, duplicates and malformed
 * entries, and the exact pages of DescribeTopicPartitions.
 */
class AdminWireTest {

    private static TestBroker broker;
    private static Admin admin;
    private static WireClient wire;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        admin = broker.admin();
        admin.createTopics(List.of(
                        new NewTopic("wire-a", 5, (short) 1),
                        new NewTopic("wire-b", 3, (short) 1),
                        new NewTopic("wire-c", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        wire = WireClient.connect(broker);
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        admin.close();
        broker.close();
    }

    @Test
    void describeTopicPartitionsCutsPagesAtTheLimitAndContinuesFromTheCursor() throws Exception {
        DescribeTopicPartitionsResponseData page = describe(3, null, "wire-b", "wire-a");
        assertThat(partitions(page, "wire-a")).containsExactly(0, 1, 2);
        assertThat(page.topics().find("wire-b")).isNull();
        assertCursor(page, "wire-a", 3);

        page = describe(3, cursor("wire-a", 3), "wire-a", "wire-b");
        assertThat(partitions(page, "wire-a")).containsExactly(3, 4);
        assertThat(partitions(page, "wire-b")).containsExactly(0);
        assertCursor(page, "wire-b", 1);

        page = describe(10, cursor("wire-b", 1), "wire-a", "wire-b");
        assertThat(page.topics().find("wire-a")).isNull();
        assertThat(partitions(page, "wire-b")).containsExactly(1, 2);
        assertThat(page.nextCursor()).isNull();

        // A topic that ends exactly at the limit: the next page starts with the following topic.
        page = describe(5, null, "wire-a", "wire-b");
        assertThat(partitions(page, "wire-a")).containsExactly(0, 1, 2, 3, 4);
        assertCursor(page, "wire-b", 0);
    }

    @Test
    void describeTopicPartitionsDescribesEveryTopicWhenNoneAreNamed() throws Exception {
        DescribeTopicPartitionsResponseData page = describe(100, null);
        assertThat(page.topics().valuesList())
                .extracting(DescribeTopicPartitionsResponseTopic::name)
                .containsSubsequence("wire-a", "wire-b", "wire-c");
        DescribeTopicPartitionsResponseTopic c = page.topics().find("wire-c");
        assertThat(c.errorCode()).isZero();
        assertThat(c.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(c.partitions().get(0).leaderId()).isEqualTo(1);
        assertThat(c.partitions().get(0).leaderEpoch()).isZero();
        assertThat(c.partitions().get(0).eligibleLeaderReplicas()).isEmpty();
        assertThat(c.partitions().get(0).lastKnownElr()).isEmpty();
        assertThat(c.partitions().get(0).offlineReplicas()).isEmpty();
    }

    @Test
    void describeTopicPartitionsRefusesBadCursorsAndNamesUnknownTopics() throws Exception {
        DescribeTopicPartitionsResponseData negative = describe(10, cursor("wire-a", -1), "wire-a");
        assertThat(negative.topics().find("wire-a").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        DescribeTopicPartitionsResponseData elsewhere = describe(10, cursor("wire-c", 0), "wire-a");
        assertThat(elsewhere.topics().find("wire-a").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());

        DescribeTopicPartitionsResponseData unknown = describe(10, null, "wire-a", "wire-unknown", "bad name!");
        assertThat(unknown.topics().find("wire-a").errorCode()).isZero();
        assertThat(unknown.topics().find("wire-unknown").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(unknown.topics().find("bad name!").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }

    @Test
    void deleteTopicsRefusesDuplicatesAndAmbiguousEntries() throws Exception {
        admin.createTopics(List.of(new NewTopic("wire-twice", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        Uuid id = Uuid.randomUuid();
        DeleteTopicsRequestData request = new DeleteTopicsRequestData()
                .setTopics(List.of(
                        new DeleteTopicsRequestData.DeleteTopicState().setName("wire-twice"),
                        new DeleteTopicsRequestData.DeleteTopicState().setName("wire-twice"),
                        new DeleteTopicsRequestData.DeleteTopicState(),
                        new DeleteTopicsRequestData.DeleteTopicState()
                                .setName("wire-c")
                                .setTopicId(id)));

        DeleteTopicsResponse response = wire.send(new DeleteTopicsRequest.Builder(request), (short) 6);

        List<DeleteTopicsResponseData.DeletableTopicResult> results =
                List.copyOf(response.data().responses());
        assertThat(results).hasSize(3);
        assertThat(results).allMatch(r -> r.errorCode() == Errors.INVALID_REQUEST.code());
        assertThat(results)
                .extracting(DeleteTopicsResponseData.DeletableTopicResult::errorMessage)
                .containsExactlyInAnyOrder(
                        "Duplicate topic name.",
                        "Neither topic name nor id were specified.",
                        "You may not specify both topic name and topic id.");
        assertThat(admin.listTopics().names().get()).contains("wire-twice", "wire-c");
    }

    @Test
    void deleteTopicsServesTheOldestVersionByName() throws Exception {
        admin.createTopics(List.of(new NewTopic("wire-old", 2, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);

        DeleteTopicsResponse response = wire.send(
                new DeleteTopicsRequest.Builder(
                        new DeleteTopicsRequestData().setTopicNames(List.of("wire-old", "wire-never"))),
                (short) 1);

        assertThat(response.data().responses().find("wire-old").errorCode()).isZero();
        assertThat(response.data().responses().find("wire-never").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(admin.listTopics().names().get()).doesNotContain("wire-old");
    }

    @Test
    void createPartitionsRefusesATopicListedTwice() throws Exception {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(30_000);
        request.topics()
                .add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                        .setName("wire-c")
                        .setCount(2));
        request.topics()
                .add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                        .setName("wire-c")
                        .setCount(3));

        CreatePartitionsResponse response = wire.send(new CreatePartitionsRequest.Builder(request), (short) 0);

        List<CreatePartitionsResponseData.CreatePartitionsTopicResult> results =
                response.data().results();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(broker.broker()
                        .services()
                        .replicas()
                        .image()
                        .topic("wire-c")
                        .orElseThrow()
                        .partitionCount())
                .isEqualTo(1);
    }

    @Test
    void deleteRecordsAnswersUnknownPartitionsAndNegativeOffsets() throws Exception {
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(30_000);
        request.topics()
                .add(new DeleteRecordsRequestData.DeleteRecordsTopic()
                        .setName("wire-c")
                        .setPartitions(List.of(
                                new DeleteRecordsRequestData.DeleteRecordsPartition()
                                        .setPartitionIndex(0)
                                        .setOffset(-5),
                                new DeleteRecordsRequestData.DeleteRecordsPartition()
                                        .setPartitionIndex(7)
                                        .setOffset(0),
                                new DeleteRecordsRequestData.DeleteRecordsPartition()
                                        .setPartitionIndex(-2)
                                        .setOffset(0))));
        request.topics()
                .add(new DeleteRecordsRequestData.DeleteRecordsTopic()
                        .setName("wire-unknown")
                        .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition()
                                .setPartitionIndex(0)
                                .setOffset(0))));

        DeleteRecordsResponse response = wire.send(new DeleteRecordsRequest.Builder(request), (short) 0);

        DeleteRecordsResponseData.DeleteRecordsTopicResult c =
                response.data().topics().find("wire-c");
        assertThat(c.partitions().find(0).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(c.partitions().find(0).lowWatermark()).isEqualTo(-1);
        assertThat(c.partitions().find(7).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(c.partitions().find(-2).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.data()
                        .topics()
                        .find("wire-unknown")
                        .partitions()
                        .find(0)
                        .errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void describeLogDirsListsOnlyThePartitionsAskedFor() throws Exception {
        DescribeLogDirsRequestData request = new DescribeLogDirsRequestData();
        request.topics()
                .add(new DescribeLogDirsRequestData.DescribableLogDirTopic()
                        .setTopic("wire-a")
                        .setPartitions(List.of(1, 3, 9)));

        DescribeLogDirsResponse v1 = wire.send(new DescribeLogDirsRequest.Builder(request), (short) 1);

        assertThat(v1.data().results()).hasSize(1);
        DescribeLogDirsResponseData.DescribeLogDirsResult dir =
                v1.data().results().get(0);
        assertThat(dir.logDir()).isEqualTo(broker.dataDir().toAbsolutePath().toString());
        assertThat(dir.topics())
                .extracting(DescribeLogDirsResponseData.DescribeLogDirsTopic::name)
                .containsExactly("wire-a");
        assertThat(dir.topics().get(0).partitions())
                .extracting(DescribeLogDirsResponseData.DescribeLogDirsPartition::partitionIndex)
                .containsExactly(1, 3);
        // v1 has no file-system sizes; the defaults come back.
        assertThat(dir.totalBytes()).isEqualTo(-1);

        DescribeLogDirsResponse v4 = wire.send(new DescribeLogDirsRequest.Builder(request), (short) 4);
        assertThat(v4.data().results().get(0).totalBytes()).isPositive();
    }

    private static DescribeTopicPartitionsResponseData describe(
            int limit, DescribeTopicPartitionsRequestData.Cursor cursor, String... topics) throws Exception {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData()
                .setResponsePartitionLimit(limit)
                .setCursor(cursor);
        for (String topic : topics) {
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(topic));
        }
        DescribeTopicPartitionsResponse response =
                wire.send(new DescribeTopicPartitionsRequest.Builder(request), (short) 0);
        return response.data();
    }

    private static DescribeTopicPartitionsRequestData.Cursor cursor(String topic, int partition) {
        return new DescribeTopicPartitionsRequestData.Cursor()
                .setTopicName(topic)
                .setPartitionIndex(partition);
    }

    private static List<Integer> partitions(DescribeTopicPartitionsResponseData page, String topic) {
        DescribeTopicPartitionsResponseTopic described = page.topics().find(topic);
        assertThat(described).as(topic).isNotNull();
        assertThat(described.errorCode()).isZero();
        return described.partitions().stream()
                .map(DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition::partitionIndex)
                .toList();
    }

    private static void assertCursor(DescribeTopicPartitionsResponseData page, String topic, int partition) {
        assertThat(page.nextCursor()).isNotNull();
        assertThat(page.nextCursor().topicName()).isEqualTo(topic);
        assertThat(page.nextCursor().partitionIndex()).isEqualTo(partition);
    }
}
