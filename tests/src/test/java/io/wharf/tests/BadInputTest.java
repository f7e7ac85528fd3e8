package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every client mistake gets its Kafka error, with a message, and changes nothing. */
class BadInputTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(Map.of(
                "auto.create.topics.enable", "false",
                "message.max.bytes", "100000",
                "wharf.partitions.per.topic.max", "100"));
        admin = broker.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    private static Throwable createFailure(NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            throw new AssertionError("topic " + topic.name() + " was created");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> topics() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    @Test
    void badTopicsAreRefusedWithTheRightErrorAndNothingIsCreated() throws Exception {
        assertThat(createFailure(new NewTopic("bad name!", 1, (short) 1)))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("illegal");
        assertThat(createFailure(new NewTopic("x".repeat(250), 1, (short) 1)))
                .isInstanceOf(InvalidTopicException.class);
        assertThat(createFailure(new NewTopic("zero-partitions", 0, (short) 1)))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThat(createFailure(new NewTopic("too-many-partitions", 101, (short) 1)))
                .isInstanceOf(InvalidPartitionsException.class)
                .hasMessageContaining("wharf.partitions.per.topic.max");
        assertThat(createFailure(new NewTopic("three-replicas", 1, (short) 3)))
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessageContaining("only 1 broker");
        assertThat(createFailure(new NewTopic("bad-config", 1, (short) 1).configs(Map.of("retention.ms", "soon"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms");
        assertThat(createFailure(new NewTopic("unknown-config", 1, (short) 1).configs(Map.of("retention.mss", "1"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.mss");
        assertThat(createFailure(new NewTopic("recompress", 1, (short) 1).configs(Map.of("compression.type", "lz4"))))
                .isInstanceOf(InvalidConfigurationException.class);

        assertThat(topics()).isEmpty();
    }

    @Test
    void validateOnlyCreatesNothingAndADuplicateIsRefused() throws Exception {
        admin.createTopics(List.of(new NewTopic("checked", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(topics()).doesNotContain("checked");

        admin.createTopics(List.of(new NewTopic("once", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        assertThat(createFailure(new NewTopic("once", 1, (short) 1))).isInstanceOf(TopicExistsException.class);
        admin.createTopics(List.of(new NewTopic("a.b", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        assertThat(createFailure(new NewTopic("a_b", 1, (short) 1)))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("collides");
    }

    @Test
    void aBatchOverMessageMaxBytesIsMessageTooLarge() throws Exception {
        admin.createTopics(List.of(new NewTopic("big", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000, ProducerConfig.BATCH_SIZE_CONFIG, 500_000))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("big", new byte[200_000]))
                            .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            assertThat(producer.send(new ProducerRecord<>("big", new byte[1000]))
                            .get(30, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
        }
    }

    @Test
    void anUnknownTopicIsUnknownWhenAutoCreationIsOff() throws Exception {
        try (WireClient wire = new WireClient(broker.bootstrapServers())) {
            MetadataResponseData response = wire.send(
                    ApiKeys.METADATA,
                    (short) 12,
                    new MetadataRequestData()
                            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("nope")))
                            .setAllowAutoTopicCreation(true));
            MetadataResponseData.MetadataResponseTopic topic =
                    response.topics().iterator().next();
            assertThat(Errors.forCode(topic.errorCode())).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        assertThat(topics()).doesNotContain("nope");
    }

    @Test
    void aTooNewApiVersionsRequestGetsTheListAtVersionZero() throws Exception {
        try (WireClient wire = new WireClient(broker.bootstrapServers())) {
            ApiVersionsResponseData response = wire.send(ApiKeys.API_VERSIONS, (short) 0, new ApiVersionsRequestData());
            assertThat(response.errorCode()).isZero();
            ApiVersionsResponseData.ApiVersion produce = response.apiKeys().find(ApiKeys.PRODUCE.id);
            assertThat(produce.minVersion())
                    .as("advertised from 0 for librdkafka")
                    .isZero();
            assertThat(response.apiKeys().find(ApiKeys.SASL_HANDSHAKE.id))
                    .as("absent, not half-answered")
                    .isNull();
        }
        try (WireClient wire = new WireClient(broker.bootstrapServers())) {
            // version 127: a header kafka-clients can read (v2: client id, then an empty tag section), a body it
            // cannot
            byte[] frame = {0, 18, 0, 127, 0, 0, 0, 7, 0, 1, 'x', 0};
            wire.sendRaw(frame);
            ApiVersionsResponseData fallback = new ApiVersionsResponseData();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(wire.receiveRaw());
            assertThat(bytes.getInt()).isEqualTo(7);
            fallback.read(new org.apache.kafka.common.protocol.ByteBufferAccessor(bytes), (short) 0);
            assertThat(Errors.forCode(fallback.errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            assertThat(fallback.apiKeys().find(ApiKeys.FETCH.id)).isNotNull();
        }
    }

    @Test
    void aNegativePartitionIsUnknownNotAServerError() throws Exception {
        admin.createTopics(List.of(new NewTopic("negative", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        try (WireClient wire = new WireClient(broker.bootstrapServers())) {
            org.apache.kafka.common.message.ProduceRequestData produce =
                    new org.apache.kafka.common.message.ProduceRequestData()
                            .setAcks((short) 1)
                            .setTimeoutMs(1000);
            var topicData =
                    new org.apache.kafka.common.message.ProduceRequestData.TopicProduceData().setName("negative");
            topicData
                    .partitionData()
                    .add(new org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData()
                            .setIndex(-1)
                            .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(
                                    io.wharf.protocol.record.RecordBatchBuilder.create()
                                            .add(System.currentTimeMillis(), null, new byte[1])
                                            .build())));
            produce.topicData().add(topicData);
            org.apache.kafka.common.message.ProduceResponseData response =
                    wire.send(ApiKeys.PRODUCE, (short) 11, produce);
            short code = response.responses()
                    .iterator()
                    .next()
                    .partitionResponses()
                    .get(0)
                    .errorCode();
            assertThat(Errors.forCode(code)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
    }

    @Test
    void aPartitionPastTheTopicsLastIsUnknownToListOffsetsAndOffsetForLeaderEpoch() throws Exception {
        admin.createTopics(List.of(new NewTopic("one-partition", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        try (WireClient wire = new WireClient(broker.bootstrapServers())) {
            ListOffsetsRequestData listOffsets = new ListOffsetsRequestData().setReplicaId(-1);
            listOffsets
                    .topics()
                    .add(new ListOffsetsRequestData.ListOffsetsTopic()
                            .setName("one-partition")
                            .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                    .setPartitionIndex(5)
                                    .setTimestamp(-1))));
            ListOffsetsResponseData offsets = wire.send(ApiKeys.LIST_OFFSETS, (short) 7, listOffsets);
            assertThat(Errors.forCode(
                            offsets.topics().get(0).partitions().get(0).errorCode()))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

            OffsetForLeaderEpochRequestData epochs = new OffsetForLeaderEpochRequestData();
            OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic =
                    new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("one-partition");
            topic.partitions()
                    .add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                            .setPartition(5)
                            .setLeaderEpoch(0));
            epochs.topics().add(topic);
            OffsetForLeaderEpochResponseData ends = wire.send(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (short) 4, epochs);
            assertThat(Errors.forCode(
                            ends.topics().iterator().next().partitions().get(0).errorCode()))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
    }

    @Test
    void produceVersionsRemovedInKafkaFourAreNotServed() throws Exception {
        try (WireClient wire = new WireClient(broker.bootstrapServers())) {
            byte[] frame = {0, 0, 0, 2, 0, 0, 0, 9, 0, 1, 'x', 0, 1, 0, 0, 0, 100, 0, 0, 0, 0};
            wire.sendRaw(frame);
            assertThat(wire.isClosedByPeer()).isTrue();
        }
    }
}
