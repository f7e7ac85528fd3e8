package io.wharf.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.common.io.Bytes;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.record.ConfigRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every request and answer a node forwards to the controller reads back as it was written. */
class ControllerProtocolTest {

    private static Bytes.Reader afterType(byte[] bytes, int type) {
        Bytes.Reader in = new Bytes.Reader(ByteBuffer.wrap(bytes));
        assertThat(in.int8()).isEqualTo(type);
        return in;
    }

    @Test
    void requestsReadBackAsWritten() {
        List<NewTopic> topics = List.of(
                new NewTopic("a", 3, (short) 2, Map.of(), Map.of("retention.ms", "5")),
                new NewTopic("b", -1, (short) -1, Map.of(0, List.of(1, 2), 1, List.of(2, 3)), Map.of()));
        Bytes.Reader in = afterType(ControllerProtocol.createTopics(topics, true), ControllerProtocol.CREATE_TOPICS);
        assertThat(in.int8()).isEqualTo(1);
        assertThat(ControllerProtocol.readNewTopics(in)).isEqualTo(topics);

        List<TopicRef> refs = List.of(new TopicRef("a", null), new TopicRef(null, new TopicId(3, 4)));
        assertThat(ControllerProtocol.readTopicRefs(
                        afterType(ControllerProtocol.deleteTopics(refs), ControllerProtocol.DELETE_TOPICS)))
                .isEqualTo(refs);

        List<NewPartitions> partitions =
                List.of(new NewPartitions("a", 5, null), new NewPartitions("b", 3, List.of(List.of(1, 2))));
        in = afterType(ControllerProtocol.createPartitions(partitions, false), ControllerProtocol.CREATE_PARTITIONS);
        assertThat(in.int8()).isZero();
        assertThat(ControllerProtocol.readNewPartitions(in)).isEqualTo(partitions);

        List<ConfigChange> changes = List.of(new ConfigChange(
                ConfigRecord.ResourceType.TOPIC,
                "a",
                true,
                List.of(
                        new ConfigChange.Edit("x", ConfigChange.Op.APPEND, "1"),
                        new ConfigChange.Edit("y", ConfigChange.Op.DELETE, null))));
        in = afterType(ControllerProtocol.alterConfigs(changes, false), ControllerProtocol.ALTER_CONFIGS);
        assertThat(in.int8()).isZero();
        assertThat(ControllerProtocol.readConfigChanges(in)).isEqualTo(changes);

        BrokerRegistration registration = new BrokerRegistration(
                4, new TopicId(1, 2), TopicId.ZERO, List.of(new Endpoint("PLAINTEXT", "h", 9092)), "r");
        assertThat(ControllerProtocol.readRegistration(
                        afterType(ControllerProtocol.registerBroker(registration), ControllerProtocol.REGISTER_BROKER)))
                .isEqualTo(registration);

        BrokerHeartbeat heartbeat = new BrokerHeartbeat(4, 17, 99, true);
        assertThat(ControllerProtocol.readHeartbeat(
                        afterType(ControllerProtocol.heartbeat(heartbeat), ControllerProtocol.HEARTBEAT)))
                .isEqualTo(heartbeat);
    }

    @Test
    void answersReadBackAsWritten() {
        List<TopicResult> topics = new ArrayList<>();
        topics.add(new TopicResult("a", new TopicId(1, 1), 3, 2, null, null));
        topics.add(new TopicResult("b", TopicId.ZERO, -1, -1, MetadataError.TOPIC_ALREADY_EXISTS, "exists"));
        Bytes.Writer out = ControllerProtocol.answered(12);
        ControllerProtocol.topicResults(out, topics);
        Bytes.Reader in = new Bytes.Reader(ByteBuffer.wrap(out.toArray()));
        assertThat(in.int8()).isEqualTo(ControllerProtocol.ANSWERED);
        assertThat(in.int64()).isEqualTo(12);
        assertThat(ControllerProtocol.readTopicResults(in)).isEqualTo(topics);

        out = new Bytes.Writer();
        ControllerProtocol.heartbeatResult(out, new HeartbeatResult(false, true, null, null));
        ControllerProtocol.registrationResult(
                out, new RegistrationResult(-1, MetadataError.DUPLICATE_BROKER_REGISTRATION, "taken"));
        ControllerProtocol.changeResults(
                out, List.of(ChangeResult.OK, new ChangeResult(MetadataError.INVALID_CONFIG, "no")));
        in = new Bytes.Reader(ByteBuffer.wrap(out.toArray()));
        assertThat(ControllerProtocol.readHeartbeatResult(in)).isEqualTo(new HeartbeatResult(false, true, null, null));
        assertThat(ControllerProtocol.readRegistrationResult(in))
                .isEqualTo(new RegistrationResult(-1, MetadataError.DUPLICATE_BROKER_REGISTRATION, "taken"));
        assertThat(ControllerProtocol.readChangeResults(in))
                .containsExactly(ChangeResult.OK, new ChangeResult(MetadataError.INVALID_CONFIG, "no"));
    }

    private static final List<IsrChange> ISR_BATCH = List.of(
            new IsrChange(4, 17, new TopicId(1, 2), 3, 5, 9, List.of(4, 1)),
            new IsrChange(4, 17, new TopicId(0, 7), 0, 2, 1, List.of(4)));

    @Test
    void aBatchOfIsrChangesIsWrittenAsDrawnAndReadsBack() {
        byte[] request = ControllerProtocol.alterIsrs(ISR_BATCH);
        assertThat(HexFormat.of().formatHex(request))
                .isEqualTo("0d" + "00000004" + "0000000000000011" + "00000002"
                        // topic 1:2, partition 3, leader epoch 5, partition epoch 9, ISR [4, 1]
                        + "0000000000000001" + "0000000000000002" + "00000003" + "00000005" + "00000009"
                        + "00000002" + "00000004" + "00000001"
                        // topic 0:7, partition 0, leader epoch 2, partition epoch 1, ISR [4]
                        + "0000000000000000" + "0000000000000007" + "00000000" + "00000002" + "00000001"
                        + "00000001" + "00000004");
        assertThat(ControllerProtocol.readIsrChanges(afterType(request, ControllerProtocol.ALTER_ISRS)))
                .isEqualTo(ISR_BATCH);
    }

    @Test
    void theAnswersToABatchOfIsrChangesAreWrittenAsDrawnAndReadBack() {
        List<IsrResult> results = List.of(
                new IsrResult(new TopicId(1, 2), 3, 10, null, null),
                new IsrResult(new TopicId(0, 7), 0, -1, MetadataError.INVALID_UPDATE_VERSION, "stale"));
        Bytes.Writer out = new Bytes.Writer();
        ControllerProtocol.isrResults(out, results);
        byte[] bytes = out.toArray();
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(bytes))
                .isEqualTo("00000002"
                        + "0000000000000001" + "0000000000000002" + "00000003" + "0000000a" + "ffff" + "ffff"
                        + "0000000000000000" + "0000000000000007" + "00000000" + "ffffffff"
                        + "0016" + hex.formatHex("INVALID_UPDATE_VERSION".getBytes(StandardCharsets.UTF_8))
                        + "0005" + hex.formatHex("stale".getBytes(StandardCharsets.UTF_8)));
        assertThat(ControllerProtocol.readIsrResults(new Bytes.Reader(ByteBuffer.wrap(bytes))))
                .isEqualTo(results);
    }

    @Test
    void aBatchOfIsrChangesHoldsOneBrokerRegistration() {
        List<IsrChange> mixed = List.of(ISR_BATCH.get(0), new IsrChange(4, 18, new TopicId(0, 7), 0, 2, 1, List.of(4)));
        assertThatThrownBy(() -> ControllerProtocol.alterIsrs(mixed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMalformedRequestIsAnsweredAsFailedNotThrown() {
        ControllerService service = new ControllerService(null, null);
        byte[] answer =
                service.handle(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 0, 9})).join();
        assertThat(new Bytes.Reader(ByteBuffer.wrap(answer)).int8()).isEqualTo(ControllerProtocol.FAILED);
        byte[] unknown = service.handle(ByteBuffer.wrap(new byte[] {99})).join();
        assertThat(new Bytes.Reader(ByteBuffer.wrap(unknown)).int8()).isEqualTo(ControllerProtocol.FAILED);
    }
}
