package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each mistake a share consumer or an administrator can make gets its Kafka error and changes nothing: records that
 * were not acquired, wrong share session epochs, members that are not in the group, malformed acknowledgements,
 * invalid group configs, and the broker's limits on share sessions.
 */
class ShareBadInputTest {

    private static final String TOPIC = "jobs";
    private static final String GROUP = "strict";

    private static TestBroker broker;
    private static Admin admin;
    private static WireClient wire;
    private static Uuid topicId;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>(ShareGroupTest.BROKER_SETTINGS);
        settings.put("group.share.max.share.sessions", "3");
        broker = TestBroker.start(settings);
        admin = broker.admin();
        ShareGroupTest.createTopic(admin, TOPIC, 1);
        ShareGroupTest.setGroupConfigs(admin, GROUP, Map.of("share.auto.offset.reset", "earliest"));
        ConsumerGroupTest.produceTo(broker, TOPIC, 0, 10);
        topicId = admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(TOPIC)
                .topicId();
        wire = new WireClient(broker.bootstrapServers());
        wire.send(
                ApiKeys.FIND_COORDINATOR,
                (short) 4,
                new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of(GROUP)));
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        admin.close();
        broker.close();
    }

    private static ShareGroupHeartbeatResponseData heartbeat(String member, int epoch) throws Exception {
        return wire.send(
                ApiKeys.SHARE_GROUP_HEARTBEAT,
                (short) 1,
                new ShareGroupHeartbeatRequestData()
                        .setGroupId(GROUP)
                        .setMemberId(member)
                        .setMemberEpoch(epoch)
                        .setSubscribedTopicNames(epoch == 0 ? List.of(TOPIC) : null));
    }

    private static ShareFetchRequestData fetch(String member, int epoch) {
        ShareFetchRequestData request = new ShareFetchRequestData()
                .setGroupId(GROUP)
                .setMemberId(member)
                .setShareSessionEpoch(epoch)
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setMaxRecords(5)
                .setBatchSize(5);
        request.topics().add(new ShareFetchRequestData.FetchTopic().setTopicId(topicId));
        request.topics()
                .find(topicId)
                .partitions()
                .add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0));
        return request;
    }

    private static ShareFetchRequestData withAck(ShareFetchRequestData request, long first, long last, byte type) {
        request.topics()
                .find(topicId)
                .partitions()
                .find(0)
                .acknowledgementBatches()
                .add(new ShareFetchRequestData.AcknowledgementBatch()
                        .setFirstOffset(first)
                        .setLastOffset(last)
                        .setAcknowledgeTypes(List.of(type)));
        return request;
    }

    private static ShareFetchResponseData send(ShareFetchRequestData request) throws Exception {
        return wire.send(ApiKeys.SHARE_FETCH, (short) 2, request);
    }

    private static ShareAcknowledgeResponseData acknowledge(String member, int epoch, long first, long last, byte type)
            throws Exception {
        ShareAcknowledgeRequestData request = new ShareAcknowledgeRequestData()
                .setGroupId(GROUP)
                .setMemberId(member)
                .setShareSessionEpoch(epoch);
        ShareAcknowledgeRequestData.AcknowledgeTopic topic =
                new ShareAcknowledgeRequestData.AcknowledgeTopic().setTopicId(topicId);
        ShareAcknowledgeRequestData.AcknowledgePartition partition =
                new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0);
        partition
                .acknowledgementBatches()
                .add(new ShareAcknowledgeRequestData.AcknowledgementBatch()
                        .setFirstOffset(first)
                        .setLastOffset(last)
                        .setAcknowledgeTypes(List.of(type)));
        topic.partitions().add(partition);
        request.topics().add(topic);
        return wire.send(ApiKeys.SHARE_ACKNOWLEDGE, (short) 2, request);
    }

    private static Errors error(short code) {
        return Errors.forCode(code);
    }

    private static ShareFetchResponseData.PartitionData partition(ShareFetchResponseData response) {
        return response.responses().find(topicId).partitions().get(0);
    }

    @Test
    void membershipMistakes() throws Exception {
        assertThat(error(heartbeat("nobody", 3).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        ShareGroupHeartbeatResponseData joined = heartbeat("m-heartbeat", 0);
        assertThat(error(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(error(heartbeat("m-heartbeat", joined.memberEpoch() + 10).errorCode()))
                .isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(error(heartbeat("", 0).errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(error(send(fetch("not-a-member", 0)).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(heartbeat("m-heartbeat", -1).errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void sessionAndAcknowledgementMistakes() throws Exception {
        String member = "m-session";
        assertThat(error(heartbeat(member, 0).errorCode())).isEqualTo(Errors.NONE);

        ShareFetchResponseData opened = send(fetch(member, 0));
        assertThat(error(opened.errorCode())).isEqualTo(Errors.NONE);
        ShareFetchResponseData.PartitionData first = partition(opened);
        assertThat(first.acquiredRecords()).isNotEmpty();
        long lastAcquired =
                first.acquiredRecords().get(first.acquiredRecords().size() - 1).lastOffset();

        assertThat(error(send(fetch(member, 7)).errorCode()))
                .as("the session expects epoch 1")
                .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        assertThat(error(send(withAck(fetch(member, 0), 0, 0, (byte) 1)).errorCode()))
                .as("a request that opens a session cannot acknowledge")
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(error(send(fetch("other-member", 1)).errorCode())).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
        assertThat(error(acknowledge(member, 0, 0, 0, (byte) 1).errorCode()))
                .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);

        ShareFetchResponseData notAcquired =
                send(withAck(fetch(member, 1), lastAcquired + 1, lastAcquired + 1, (byte) 1));
        assertThat(error(partition(notAcquired).acknowledgeErrorCode())).isEqualTo(Errors.INVALID_RECORD_STATE);
        ShareFetchResponseData hugeRange = send(withAck(fetch(member, 2), 0, Long.MAX_VALUE, (byte) 1));
        assertThat(error(partition(hugeRange).acknowledgeErrorCode())).isEqualTo(Errors.INVALID_RECORD_STATE);
        ShareFetchResponseData unknownType = send(withAck(fetch(member, 3), 0, 0, (byte) 9));
        assertThat(error(partition(unknownType).acknowledgeErrorCode())).isEqualTo(Errors.INVALID_REQUEST);
        ShareFetchResponseData renewWithoutFlag = send(withAck(fetch(member, 4), 0, 0, (byte) 4));
        assertThat(error(partition(renewWithoutFlag).acknowledgeErrorCode())).isEqualTo(Errors.INVALID_REQUEST);

        ShareFetchRequestData unknownTopic = fetch(member, 5);
        Uuid missing = Uuid.randomUuid();
        unknownTopic.topics().add(new ShareFetchRequestData.FetchTopic().setTopicId(missing));
        unknownTopic
                .topics()
                .find(missing)
                .partitions()
                .add(new ShareFetchRequestData.FetchPartition()
                        .setPartitionIndex(0)
                        .setAcknowledgementBatches(List.of(new ShareFetchRequestData.AcknowledgementBatch()
                                .setFirstOffset(0)
                                .setLastOffset(0)
                                .setAcknowledgeTypes(List.of((byte) 1)))));
        ShareFetchResponseData unknown = send(unknownTopic);
        assertThat(error(unknown.responses().find(missing).partitions().get(0).errorCode()))
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID);

        ShareAcknowledgeResponseData accepted = acknowledge(member, 6, 0, lastAcquired, (byte) 1);
        assertThat(error(accepted.responses().find(topicId).partitions().get(0).errorCode()))
                .as("none of the refused acknowledgements changed anything")
                .isEqualTo(Errors.NONE);
        assertThat(ShareGroupTest.startOffsets(admin, GROUP, TOPIC)).containsEntry(0, lastAcquired + 1);
        ShareAcknowledgeResponseData closing = acknowledge(member, -1, 0, 0, (byte) 1);
        assertThat(error(closing.errorCode())).isEqualTo(Errors.NONE);
        assertThat(error(closing.responses().find(topicId).partitions().get(0).errorCode()))
                .as("closing the session still checks the acknowledgements: offset 0 is done")
                .isEqualTo(Errors.INVALID_RECORD_STATE);
        assertThat(error(acknowledge(member, 8, 0, 0, (byte) 1).errorCode())).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    @Test
    void theBrokerKeepsAtMostItsShareSessions() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add("limited-" + i);
            assertThat(error(heartbeat(members.get(i), 0).errorCode())).isEqualTo(Errors.NONE);
        }
        List<Errors> opened = new ArrayList<>();
        for (String member : members) {
            opened.add(error(send(fetch(member, 0)).errorCode()));
        }
        assertThat(opened).contains(Errors.SHARE_SESSION_LIMIT_REACHED);
        for (String member : members) {
            heartbeat(member, -1);
        }
    }

    @Test
    void offsetMistakes() throws Exception {
        DescribeShareGroupOffsetsResponseData unknown = wire.send(
                ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS,
                (short) 1,
                new DescribeShareGroupOffsetsRequestData()
                        .setGroups(
                                List.of(new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup()
                                        .setGroupId("no-such-group")
                                        .setTopics(null))));
        assertThat(error(unknown.groups().get(0).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

        assertThat(error(heartbeat("m-offsets", 0).errorCode())).isEqualTo(Errors.NONE);
        AlterShareGroupOffsetsRequestData alter = new AlterShareGroupOffsetsRequestData().setGroupId(GROUP);
        alter.topics()
                .add(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic()
                        .setTopicName(TOPIC)
                        .setPartitions(
                                List.of(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition()
                                        .setPartitionIndex(0)
                                        .setStartOffset(0))));
        AlterShareGroupOffsetsResponseData nonEmpty = wire.send(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, (short) 0, alter);
        assertThat(error(nonEmpty.errorCode())).isEqualTo(Errors.NON_EMPTY_GROUP);
        heartbeat("m-offsets", -1);
    }

    @Test
    void invalidGroupConfigsAreRefusedAndChangeNothing() throws Exception {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "configured");
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("share.record.lock.duration.ms", "10"),
                Map.entry("share.record.lock.duration.ms", "3600001"),
                Map.entry("share.delivery.count.limit", "1"),
                Map.entry("share.partition.max.record.locks", "1000000"),
                Map.entry("share.auto.offset.reset", "sometimes"),
                Map.entry("share.isolation.level", "serializable"),
                Map.entry("errors.deadletterqueue.topic.name", "no-prefix"),
                Map.entry("share.not.a.setting", "1"))) {
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                    group,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry(bad.getKey(), bad.getValue()), AlterConfigOp.OpType.SET))))
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .as("%s=%s", bad.getKey(), bad.getValue())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidConfigurationException.class);
        }
        Config described = admin.describeConfigs(List.of(group))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(group);
        assertThat(described.get("share.record.lock.duration.ms").value()).isEqualTo("30000");
        assertThat(described.get("share.record.lock.duration.ms").source())
                .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(described.get("share.auto.offset.reset").value()).isEqualTo("latest");
    }
}
