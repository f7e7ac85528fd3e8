package io.wharf.tests;

import static io.wharf.tests.AdminApisTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.metadata.record.ConfigRecord;
import io.wharf.storage.LogConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigType;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DescribeConfigs and IncrementalAlterConfigs driven by the real Admin client, against a broker whose
 * {@code server.properties} sets {@code log.retention.hours=48}: values and their sources, changes reaching the
 * partition logs, broker defaults reaching topics, and refused changes leaving everything as it was.
 */
class ConfigApisTest {

    private static final long HOURS_48_MS = 48L * 3_600_000;
    private static final long WEEK_MS = 7L * 24 * 3_600_000;

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(Map.of("log.retention.hours", "48", "num.io.threads", "4"));
        admin = broker.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    @Test
    void describesATopicsValuesWithTheirSourcesTypesAndSynonyms() throws Exception {
        createTopic("described", Map.of("segment.ms", "600000"));

        Config config = describe(topic("described"));

        ConfigEntry segmentMs = config.get("segment.ms");
        assertThat(segmentMs.value()).isEqualTo("600000");
        assertThat(segmentMs.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(segmentMs.type()).isEqualTo(ConfigType.LONG);
        assertThat(segmentMs.synonyms())
                .extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::source)
                .startsWith(org.assertj.core.groups.Tuple.tuple("segment.ms", ConfigSource.DYNAMIC_TOPIC_CONFIG));

        ConfigEntry segmentBytes = config.get("segment.bytes");
        assertThat(segmentBytes.value()).isEqualTo(String.valueOf(1 << 30));
        assertThat(segmentBytes.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(segmentBytes.type()).isEqualTo(ConfigType.INT);
        assertThat(segmentBytes.isReadOnly()).isFalse();
        assertThat(segmentBytes.isSensitive()).isFalse();
        assertThat(segmentBytes.documentation()).contains("segment");

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo(String.valueOf(HOURS_48_MS));
        assertThat(retention.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(retention.synonyms())
                .extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::value)
                .contains(org.assertj.core.groups.Tuple.tuple("log.retention.hours", "48"));

        assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigType.LIST);
        assertThat(config.get("message.timestamp.type").type()).isEqualTo(ConfigType.STRING);
        assertThat(config.get("min.insync.replicas").type()).isEqualTo(ConfigType.INT);

        assertFails(
                admin.describeConfigs(List.of(topic("no-such-topic"))).all(), UnknownTopicOrPartitionException.class);
    }

    @Test
    void describesTheBrokerWithStaticAndReadOnlyKeys() throws Exception {
        Config config = describe(broker("1"));

        ConfigEntry hours = config.get("log.retention.hours");
        assertThat(hours.value()).isEqualTo("48");
        assertThat(hours.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(hours.isReadOnly()).isFalse();
        ConfigEntry ioThreads = config.get("num.io.threads");
        assertThat(ioThreads.value()).isEqualTo("4");
        assertThat(ioThreads.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(ioThreads.isReadOnly()).isTrue();
        ConfigEntry nodeId = config.get("node.id");
        assertThat(nodeId.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(nodeId.type()).isEqualTo(ConfigType.INT);
        assertThat(config.get("auto.create.topics.enable").type()).isEqualTo(ConfigType.BOOLEAN);

        // Another broker's id cannot be asked for here: the Admin client sends that to the other broker, so
        // ConfigWireTest covers it.
        assertFails(
                admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER_LOGGER, "1")))
                        .all(),
                InvalidRequestException.class);
    }

    @Test
    void alteringATopicChangesItsLog() throws Exception {
        createTopic("altered", Map.of());
        assertThat(broker.logConfig("altered").retentionMs()).isEqualTo(HOURS_48_MS);

        alter(
                topic("altered"),
                set("retention.ms", "60000"),
                set("segment.bytes", "1048576"),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND));

        assertThat(broker.logConfig("altered").retentionMs()).isEqualTo(60_000);
        assertThat(broker.logConfig("altered").segmentBytes()).isEqualTo(1_048_576);
        assertThat(broker.logConfig("altered").compact()).isTrue();
        Config config = describe(topic("altered"));
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");

        alter(
                topic("altered"),
                new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SUBTRACT));

        assertThat(broker.logConfig("altered").retentionMs()).isEqualTo(HOURS_48_MS);
        assertThat(broker.logConfig("altered").compact()).isFalse();
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.TOPIC, "altered"))
                .isEqualTo(Map.of("segment.bytes", "1048576", "cleanup.policy", "delete"));

        admin.incrementalAlterConfigs(
                        Map.of(topic("altered"), List.of(set("segment.bytes", "2097152"))),
                        new AlterConfigsOptions().validateOnly(true))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(broker.logConfig("altered").segmentBytes()).isEqualTo(1_048_576);
    }

    @Test
    void aBrokerDefaultReachesTopicsThatDoNotSetTheKey() throws Exception {
        createTopic("inherits", Map.of());
        createTopic("overrides", Map.of("retention.ms", "86400000"));
        try {
            alter(broker(""), set("log.retention.ms", "3600000"));

            assertThat(broker.logConfig("inherits").retentionMs()).isEqualTo(3_600_000);
            assertThat(broker.logConfig("overrides").retentionMs()).isEqualTo(86_400_000);
            ConfigEntry inherited = describe(topic("inherits")).get("retention.ms");
            assertThat(inherited.value()).isEqualTo("3600000");
            assertThat(inherited.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            Config clusterDefault = describe(broker(""));
            assertThat(clusterDefault.entries()).extracting(ConfigEntry::name).containsExactly("log.retention.ms");
            assertThat(clusterDefault.get("log.retention.ms").source())
                    .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

            alter(broker("1"), set("log.retention.ms", "7200000"));
            assertThat(broker.logConfig("inherits").retentionMs()).isEqualTo(7_200_000);
            ConfigEntry perBroker = describe(broker("1")).get("log.retention.ms");
            assertThat(perBroker.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertThat(perBroker.synonyms())
                    .extracting(ConfigEntry.ConfigSynonym::value)
                    .containsExactly("7200000", "3600000", null);

            // A list default grows from the value it inherits, and topics follow it.
            alter(
                    broker(""),
                    new AlterConfigOp(new ConfigEntry("log.cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND));
            assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.BROKER, ""))
                    .containsEntry("log.cleanup.policy", "delete,compact");
            assertThat(broker.logConfig("inherits").compact()).isTrue();
        } finally {
            alter(broker("1"), delete("log.retention.ms"));
            alter(broker(""), delete("log.retention.ms"), delete("log.cleanup.policy"));
        }
        assertThat(broker.logConfig("inherits").retentionMs()).isEqualTo(HOURS_48_MS);
        assertThat(broker.logConfig("inherits").compact()).isFalse();
    }

    @Test
    void refusedChangesChangeNothing() throws Exception {
        createTopic("guarded", Map.of("retention.ms", "1000000"));
        LogConfig before = broker.logConfig("guarded");

        assertRefused(topic("guarded"), InvalidConfigurationException.class, "no.such.key", set("no.such.key", "1"));
        assertRefused(topic("guarded"), InvalidConfigurationException.class, "soon", set("retention.ms", "soon"));
        assertRefused(
                topic("guarded"), InvalidConfigurationException.class, "segment.bytes", set("segment.bytes", "1"));
        assertRefused(
                topic("guarded"),
                InvalidConfigurationException.class,
                "retention.ms",
                set("segment.bytes", "2000000"),
                set("retention.ms", "-7"));
        assertRefused(
                topic("guarded"),
                InvalidConfigurationException.class,
                "LIST",
                new AlterConfigOp(new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.APPEND));
        assertRefused(
                topic("guarded"),
                InvalidConfigurationException.class,
                "shred",
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "shred"), AlterConfigOp.OpType.APPEND));
        assertRefused(
                broker("1"),
                InvalidRequestException.class,
                "cannot be updated dynamically; set it in server.properties",
                set("num.io.threads", "2"));
        assertRefused(
                broker(""), InvalidConfigurationException.class, "log.retention.ms", set("log.retention.ms", "-5"));
        assertRefused(
                topic("guarded-later"),
                UnknownTopicOrPartitionException.class,
                "guarded-later",
                set("retention.ms", "5"));

        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.TOPIC, "guarded"))
                .isEqualTo(Map.of("retention.ms", "1000000"));
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.BROKER, "1"))
                .isEmpty();
        assertThat(broker.explicitConfigs(ConfigRecord.ResourceType.BROKER, "")).isEmpty();
        assertThat(broker.logConfig("guarded")).isEqualTo(before);
        // A setting refused for a missing topic must not wait for a topic of that name.
        createTopic("guarded-later", Map.of());
        assertThat(describe(topic("guarded-later")).get("retention.ms").source())
                .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void settingsSurviveARestart() throws Exception {
        try (TestBroker restarted = TestBroker.start()) {
            try (Admin first = restarted.admin()) {
                first.createTopics(List.of(new NewTopic("durable", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                first.incrementalAlterConfigs(Map.of(
                                topic("durable"), List.of(set("retention.ms", "123456")),
                                broker(""), List.of(set("log.segment.bytes", "2097152"))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }

            restarted.restart();

            try (Admin second = restarted.admin()) {
                Config config = second.describeConfigs(List.of(topic("durable")))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(topic("durable"));
                assertThat(config.get("retention.ms").value()).isEqualTo("123456");
                assertThat(config.get("retention.ms").source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
                assertThat(config.get("segment.bytes").value()).isEqualTo("2097152");
                assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            }
            LogConfig log = restarted
                    .broker()
                    .services()
                    .replicas()
                    .partition(new io.wharf.common.TopicPartition("durable", 0))
                    .orElseThrow()
                    .log()
                    .config();
            assertThat(log.retentionMs()).isEqualTo(123_456);
            assertThat(log.segmentBytes()).isEqualTo(2_097_152);
        }
    }

    private static void assertRefused(
            ConfigResource resource, Class<? extends Throwable> expected, String message, AlterConfigOp... ops) {
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, Arrays.asList(ops)))
                        .all()
                        .get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(expected)
                .hasMessageContaining(message);
    }

    static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    static ConfigResource broker(String name) {
        return new ConfigResource(ConfigResource.Type.BROKER, name);
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE);
    }

    private static void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, Arrays.asList(ops)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(
                        List.of(resource),
                        new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource);
    }

    private static void createTopic(String name, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }
}
