package io.wharf.tests;

import static io.wharf.tests.ConfigApisTest.broker;
import static io.wharf.tests.ConfigApisTest.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.metadata.record.ConfigRecord;
import io.wharf.storage.LogConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The config APIs at the wire, for what the Admin client does not send: the legacy AlterConfigs (gone from Admin in
 * Kafka 4), DescribeConfigs of chosen keys and at its oldest version, another broker's id, and requests that list a
 * resource or a key twice.
 */
class ConfigWireTest {

    private static TestBroker broker;
    private static Admin admin;
    private static WireClient wire;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        admin = broker.admin();
        wire = WireClient.connect(broker);
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        admin.close();
        broker.close();
    }

    @Test
    void legacyAlterConfigsReplacesEverySettingOfTheResource() throws Exception {
        createTopic("legacy", Map.of("retention.ms", "1000000", "segment.bytes", "2000000"));

        ApiError replaced = alterLegacy(topic("legacy"), Map.of("segment.ms", "600000"), false, (short) 0);

        assertThat(replaced.error()).isEqualTo(Errors.NONE);
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.TOPIC, "legacy"))
                .isEqualTo(Map.of("segment.ms", "600000"));
        LogConfig log = broker.logConfig("legacy");
        assertThat(log.segmentMs()).isEqualTo(600_000);
        assertThat(log.retentionMs()).isEqualTo(LogConfig.defaults().retentionMs());
        assertThat(log.segmentBytes()).isEqualTo(LogConfig.defaults().segmentBytes());

        assertThat(alterLegacy(topic("legacy"), Map.of("segment.ms", "1"), true, (short) 2)
                        .error())
                .isEqualTo(Errors.NONE);
        ApiError unknownKey = alterLegacy(topic("legacy"), Map.of("segment.ms", "1", "made.up", "x"), false, (short) 2);
        assertThat(unknownKey.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(unknownKey.message()).contains("made.up");
        ApiError staticKey = alterLegacy(broker(""), Map.of("num.io.threads", "3"), false, (short) 2);
        assertThat(staticKey.error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(alterLegacy(topic("missing"), Map.of("segment.ms", "1"), false, (short) 2)
                        .error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.TOPIC, "legacy"))
                .isEqualTo(Map.of("segment.ms", "600000"));
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.BROKER, "")).isEmpty();
        assertThat(broker.logConfig("legacy").segmentMs()).isEqualTo(600_000);

        ApiError brokerDefault = alterLegacy(broker(""), Map.of("log.retention.ms", "3600000"), false, (short) 2);
        assertThat(brokerDefault.error()).isEqualTo(Errors.NONE);
        assertThat(broker.logConfig("legacy").retentionMs()).isEqualTo(3_600_000);
        assertThat(alterLegacy(broker(""), Map.of(), false, (short) 2).error()).isEqualTo(Errors.NONE);
        assertThat(broker.logConfig("legacy").retentionMs())
                .isEqualTo(LogConfig.defaults().retentionMs());
    }

    @Test
    void describeConfigsListsOnlyTheKeysAskedFor() throws Exception {
        createTopic("chosen", Map.of("retention.ms", "5000"));
        DescribeConfigsRequestData request = new DescribeConfigsRequestData();
        request.resources()
                .add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id())
                        .setResourceName("chosen")
                        .setConfigurationKeys(List.of("retention.ms", "segment.bytes", "not.a.key")));

        DescribeConfigsResponse v4 = wire.send(new DescribeConfigsRequest.Builder(request), (short) 4);
        DescribeConfigsResponse v1 = wire.send(new DescribeConfigsRequest.Builder(request), (short) 1);

        for (DescribeConfigsResponse response : List.of(v4, v1)) {
            DescribeConfigsResponseData.DescribeConfigsResult result =
                    response.data().results().get(0);
            assertThat(result.errorCode()).isZero();
            assertThat(result.configs())
                    .extracting(DescribeConfigsResourceResult::name)
                    .containsExactlyInAnyOrder("retention.ms", "segment.bytes");
            assertThat(result.configs())
                    .filteredOn(c -> c.name().equals("retention.ms"))
                    .extracting(DescribeConfigsResourceResult::value, DescribeConfigsResourceResult::configSource)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("5000", (byte) 1));
            assertThat(result.configs()).allMatch(c -> c.synonyms().isEmpty());
        }
        // configType and documentation exist from v3; documentation only when asked for.
        assertThat(v4.data().results().get(0).configs()).allMatch(c -> c.configType() == 5 || c.configType() == 3);
        assertThat(v4.data().results().get(0).configs()).allMatch(c -> c.documentation() == null);
        assertThat(v1.data().results().get(0).configs()).allMatch(c -> c.configType() == 0);
    }

    @Test
    void describeConfigsRefusesOtherBrokersAndUnsupportedResources() throws Exception {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData();
        request.resources().add(resource(ConfigResource.Type.BROKER, "7"));
        request.resources().add(resource(ConfigResource.Type.BROKER, "one"));
        request.resources().add(resource(ConfigResource.Type.CLIENT_METRICS, "m"));
        request.resources().add(resource(ConfigResource.Type.GROUP, ""));
        request.resources().add(resource(ConfigResource.Type.TOPIC, "bad name!"));

        DescribeConfigsResponse response = wire.send(new DescribeConfigsRequest.Builder(request), (short) 4);

        List<DescribeConfigsResponseData.DescribeConfigsResult> results =
                response.data().results();
        assertThat(results)
                .extracting(DescribeConfigsResponseData.DescribeConfigsResult::errorCode)
                .containsExactly(
                        Errors.INVALID_REQUEST.code(),
                        Errors.INVALID_REQUEST.code(),
                        Errors.INVALID_REQUEST.code(),
                        Errors.INVALID_REQUEST.code(),
                        Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(results.get(0).errorMessage()).contains("7");
        assertThat(results.get(2).errorMessage()).contains("CLIENT_METRICS");
        assertThat(results.get(3).errorMessage()).contains("group id");
        assertThat(results).allMatch(r -> r.configs().isEmpty());
    }

    @Test
    void incrementalAlterConfigsRefusesDuplicatesAndOtherBrokers() throws Exception {
        createTopic("twice", Map.of());
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        request.resources().add(incremental(ConfigResource.Type.TOPIC, "twice", "retention.ms", "1000"));
        request.resources().add(incremental(ConfigResource.Type.TOPIC, "twice", "segment.ms", "1000"));
        IncrementalAlterConfigsRequestData.AlterConfigsResource sameKey =
                incremental(ConfigResource.Type.BROKER, "", "log.retention.ms", "1000");
        sameKey.configs()
                .add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                        .setName("log.retention.ms")
                        .setConfigOperation((byte) 1));
        request.resources().add(sameKey);
        request.resources().add(incremental(ConfigResource.Type.BROKER, "9", "log.retention.ms", "1000"));

        IncrementalAlterConfigsResponse response =
                wire.send(new IncrementalAlterConfigsRequest.Builder(request), (short) 1);

        assertThat(response.data().responses())
                .extracting(r -> r.errorCode())
                .containsExactly(
                        Errors.INVALID_REQUEST.code(),
                        Errors.INVALID_REQUEST.code(),
                        Errors.INVALID_REQUEST.code(),
                        Errors.INVALID_REQUEST.code());
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.TOPIC, "twice"))
                .isEmpty();
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.BROKER, "")).isEmpty();
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.BROKER, "9"))
                .isEmpty();
    }

    private static ApiError alterLegacy(
            ConfigResource resource, Map<String, String> settings, boolean validateOnly, short version)
            throws Exception {
        List<AlterConfigsRequest.ConfigEntry> entries = settings.entrySet().stream()
                .map(e -> new AlterConfigsRequest.ConfigEntry(e.getKey(), e.getValue()))
                .toList();
        AlterConfigsResponse response = wire.send(
                new AlterConfigsRequest.Builder(
                        Map.of(resource, new AlterConfigsRequest.Config(entries)), validateOnly),
                version);
        return response.errors().get(resource);
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource resource(ConfigResource.Type type, String name) {
        return new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType(type.id())
                .setResourceName(name)
                .setConfigurationKeys(null);
    }

    private static IncrementalAlterConfigsRequestData.AlterConfigsResource incremental(
            ConfigResource.Type type, String name, String key, String value) {
        IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(type.id())
                        .setResourceName(name);
        resource.configs()
                .add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                        .setName(key)
                        .setConfigOperation((byte) 0)
                        .setValue(value));
        return resource;
    }

    private static void createTopic(String name, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }
}
