package io.wharf.server.config;

import io.wharf.common.config.ConfigDefinitions;
import io.wharf.common.config.ConfigException;
import io.wharf.common.config.ConfigKey;
import io.wharf.coordinator.share.OffsetReset;
import io.wharf.coordinator.share.ShareGroupConfig;
import io.wharf.metadata.TopicNames;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings a group may have (IncrementalAlterConfigs and DescribeConfigs on GROUP resources, as in Kafka), the
 * broker keys that give their defaults, and the bounds the broker puts on them. Only share groups read them so far.
 */
public final class GroupConfigs {

    public static final ConfigKey<Integer> SHARE_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "share.session.timeout.ms", 45_000)
            .atLeast(1)
            .doc("A share group member that does not heartbeat for this long is removed; within"
                    + " group.share.min/max.session.timeout.ms.")
            .build();
    public static final ConfigKey<Integer> SHARE_HEARTBEAT_INTERVAL_MS = ConfigKey.integer(
                    "share.heartbeat.interval.ms", 5_000)
            .atLeast(1)
            .doc("How often share group members heartbeat; within group.share.min/max.heartbeat.interval.ms.")
            .build();
    public static final ConfigKey<Integer> SHARE_RECORD_LOCK_DURATION_MS = ConfigKey.integer(
                    "share.record.lock.duration.ms", 30_000)
            .atLeast(1)
            .doc("How long an acquired record stays locked to its member before it is delivered again; within"
                    + " group.share.min/max.record.lock.duration.ms.")
            .build();
    public static final ConfigKey<Integer> SHARE_DELIVERY_COUNT_LIMIT = ConfigKey.integer(
                    "share.delivery.count.limit", 5)
            .between(2, 10)
            .doc("Deliveries after which a record that is still not accepted is archived (and dead-lettered).")
            .build();
    public static final ConfigKey<Integer> SHARE_PARTITION_MAX_RECORD_LOCKS = ConfigKey.integer(
                    "share.partition.max.record.locks", 2_000)
            .between(100, 10_000)
            .doc("The in-flight window: records from a share-partition's start offset on that may be acquired;"
                    + " delay and priority work within it.")
            .build();
    public static final ConfigKey<String> SHARE_AUTO_OFFSET_RESET = ConfigKey.string(
                    "share.auto.offset.reset", "latest")
            .check(GroupConfigs::validReset, "earliest, latest or by_duration:<ISO-8601 duration>")
            .doc("Where a share-partition starts when the group first consumes it: earliest, latest, or"
                    + " by_duration:PT1H for the first record at most that old.")
            .build();
    public static final ConfigKey<String> SHARE_ISOLATION_LEVEL = ConfigKey.string(
                    "share.isolation.level", "read_uncommitted")
            .oneOf("read_uncommitted", "read_committed")
            .doc("Which records a share group is given: read_uncommitted, every record up to the high watermark;"
                    + " read_committed, records up to the last stable offset, and none of an aborted transaction.")
            .build();
    public static final ConfigKey<String> DEAD_LETTER_TOPIC = ConfigKey.string(
                    "errors.deadletterqueue.topic.name", null)
            .doc("Where archived records of a share group are copied (rejected, over the delivery limit, expired),"
                    + " with __dlq.errors.* headers; must start with errors.deadletterqueue.topic.name.prefix.")
            .build();

    /** Every group-level key. */
    public static final ConfigDefinitions DEFINITIONS = ConfigDefinitions.of(List.of(
            SHARE_SESSION_TIMEOUT_MS,
            SHARE_HEARTBEAT_INTERVAL_MS,
            SHARE_RECORD_LOCK_DURATION_MS,
            SHARE_DELIVERY_COUNT_LIMIT,
            SHARE_PARTITION_MAX_RECORD_LOCKS,
            SHARE_AUTO_OFFSET_RESET,
            SHARE_ISOLATION_LEVEL,
            DEAD_LETTER_TOPIC));

    /** The broker keys that give group keys their defaults. */
    private static final Map<String, ConfigKey<Integer>> BROKER_DEFAULTS = Map.of(
            SHARE_SESSION_TIMEOUT_MS.name(), BrokerConfig.SHARE_SESSION_TIMEOUT_MS,
            SHARE_HEARTBEAT_INTERVAL_MS.name(), BrokerConfig.SHARE_HEARTBEAT_INTERVAL_MS,
            SHARE_RECORD_LOCK_DURATION_MS.name(), BrokerConfig.SHARE_RECORD_LOCK_DURATION_MS,
            SHARE_DELIVERY_COUNT_LIMIT.name(), BrokerConfig.SHARE_DELIVERY_COUNT_LIMIT,
            SHARE_PARTITION_MAX_RECORD_LOCKS.name(), BrokerConfig.SHARE_PARTITION_MAX_RECORD_LOCKS);

    /** The broker keys that bound group keys: the lowest and the highest value a group may set. */
    private static final Map<String, List<ConfigKey<Integer>>> BROKER_BOUNDS = Map.of(
            SHARE_SESSION_TIMEOUT_MS.name(),
            List.of(BrokerConfig.SHARE_MIN_SESSION_TIMEOUT_MS, BrokerConfig.SHARE_MAX_SESSION_TIMEOUT_MS),
            SHARE_HEARTBEAT_INTERVAL_MS.name(),
            List.of(BrokerConfig.SHARE_MIN_HEARTBEAT_INTERVAL_MS, BrokerConfig.SHARE_MAX_HEARTBEAT_INTERVAL_MS),
            SHARE_RECORD_LOCK_DURATION_MS.name(),
            List.of(BrokerConfig.SHARE_MIN_RECORD_LOCK_DURATION_MS, BrokerConfig.SHARE_MAX_RECORD_LOCK_DURATION_MS));

    private GroupConfigs() {}

    private static boolean validReset(String value) {
        try {
            OffsetReset.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Why {@code value} is not allowed for {@code key} on this broker, or null when it is: it must parse, and lie
     * within the broker's bounds; a dead-letter topic must be a topic name with the configured prefix.
     */
    public static String problem(ConfigKey<?> key, String value, BrokerConfig broker) {
        try {
            key.parse(value);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        String name = key.name();
        List<ConfigKey<Integer>> bounds = BROKER_BOUNDS.get(name);
        if (bounds != null) {
            return outside(name, value, broker, bounds.get(0), bounds.get(1));
        }
        if (name.equals(DEAD_LETTER_TOPIC.name())) {
            return deadLetterTopicProblem(value, broker.get(BrokerConfig.DEAD_LETTER_TOPIC_PREFIX));
        }
        return null;
    }

    private static String outside(
            String name, String value, BrokerConfig broker, ConfigKey<Integer> min, ConfigKey<Integer> max) {
        int number = Integer.parseInt(value.trim());
        if (number < broker.get(min)) {
            return name + " must be greater than or equal to " + min.name() + " (" + broker.get(min) + ")";
        }
        if (number > broker.get(max)) {
            return name + " must be less than or equal to " + max.name() + " (" + broker.get(max) + ")";
        }
        return null;
    }

    private static String deadLetterTopicProblem(String topic, String prefix) {
        String invalid = TopicNames.problem(topic);
        if (invalid != null) {
            return DEAD_LETTER_TOPIC.name() + ": " + invalid;
        }
        if (topic.startsWith("__")) {
            return DEAD_LETTER_TOPIC.name() + " cannot name an internal topic: " + topic;
        }
        if (!topic.startsWith(prefix)) {
            return DEAD_LETTER_TOPIC.name() + " must start with '" + prefix
                    + "' (errors.deadletterqueue.topic.name.prefix): " + topic;
        }
        return null;
    }

    /** Every group key resolved for {@code groupId}: its own setting, else the broker's default. */
    public static List<ConfigResolver.Resolved> describe(BrokerConfig broker, MetadataImage image, String groupId) {
        Map<String, String> own = image.configs(ConfigRecord.ResourceType.GROUP, groupId);
        List<ConfigResolver.Resolved> resolved = new ArrayList<>();
        for (ConfigKey<?> key : DEFINITIONS) {
            resolved.add(resolve(broker, key, own.get(key.name())));
        }
        return resolved;
    }

    private static ConfigResolver.Resolved resolve(BrokerConfig broker, ConfigKey<?> key, String own) {
        List<ConfigResolver.Synonym> synonyms = new ArrayList<>();
        if (own != null) {
            synonyms.add(new ConfigResolver.Synonym(key.name(), own, ConfigSource.GROUP_CONFIG));
        }
        ConfigKey<Integer> brokerKey = BROKER_DEFAULTS.get(key.name());
        if (brokerKey != null && broker.isSet(brokerKey)) {
            synonyms.add(new ConfigResolver.Synonym(
                    brokerKey.name(), String.valueOf(broker.get(brokerKey)), ConfigSource.STATIC_BROKER_CONFIG));
        }
        String defaultValue = brokerKey != null ? String.valueOf(brokerKey.defaultValue()) : key.documentedDefault();
        synonyms.add(new ConfigResolver.Synonym(key.name(), defaultValue, ConfigSource.DEFAULT_CONFIG));
        ConfigResolver.Synonym winner = synonyms.get(0);
        return new ConfigResolver.Resolved(key, winner.value(), winner.source(), synonyms);
    }

    /** The settings of share group {@code groupId} now. */
    public static ShareGroupConfig shareConfig(BrokerConfig broker, MetadataImage image, String groupId) {
        Map<String, String> own = image.configs(ConfigRecord.ResourceType.GROUP, groupId);
        return new ShareGroupConfig(
                intValue(broker, own, SHARE_SESSION_TIMEOUT_MS),
                intValue(broker, own, SHARE_HEARTBEAT_INTERVAL_MS),
                intValue(broker, own, SHARE_RECORD_LOCK_DURATION_MS),
                intValue(broker, own, SHARE_DELIVERY_COUNT_LIMIT),
                intValue(broker, own, SHARE_PARTITION_MAX_RECORD_LOCKS),
                OffsetReset.parse(value(broker, own, SHARE_AUTO_OFFSET_RESET)),
                own.get(DEAD_LETTER_TOPIC.name()),
                value(broker, own, SHARE_ISOLATION_LEVEL).equals("read_committed"));
    }

    private static int intValue(BrokerConfig broker, Map<String, String> own, ConfigKey<Integer> key) {
        return Integer.parseInt(value(broker, own, key));
    }

    /** {@code key}'s value for a group whose own configs are {@code own}: its own, else the broker's, else the default. */
    private static String value(BrokerConfig broker, Map<String, String> own, ConfigKey<?> key) {
        return resolve(broker, key, own.get(key.name())).value().trim();
    }
}
