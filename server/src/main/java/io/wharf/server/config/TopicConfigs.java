package io.wharf.server.config;

import io.wharf.common.config.ConfigDefinitions;
import io.wharf.common.config.ConfigKey;
import io.wharf.replication.ThrottledReplicas;
import io.wharf.storage.LogConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings a topic may have, and the broker settings that give their defaults. Topic keys are the storage
 * engine's ({@link LogConfig}) plus the broker-level ones below; each has one or more broker synonyms, highest
 * priority first ({@code log.retention.ms} before {@code log.retention.minutes} before {@code log.retention.hours}),
 * as in Kafka.
 */
public final class TopicConfigs {

    public static final ConfigKey<Integer> MIN_INSYNC_REPLICAS = ConfigKey.integer("min.insync.replicas", 1)
            .atLeast(1)
            .doc("With acks=all, refuse a produce (NOT_ENOUGH_REPLICAS) when fewer replicas than this are in sync.")
            .build();
    public static final ConfigKey<Boolean> UNCLEAN_LEADER_ELECTION_ENABLE = ConfigKey.bool(
                    "unclean.leader.election.enable", false)
            .doc("When no in-sync replica of a partition is alive, make an out-of-sync one leader rather than wait:"
                    + " the partition is available again, but may lose records that were acknowledged.")
            .build();
    /** The broker default of {@link #UNCLEAN_LEADER_ELECTION_ENABLE}, which the controller reads. */
    public static final ConfigKey<Boolean> BROKER_UNCLEAN_LEADER_ELECTION_ENABLE = ConfigKey.bool(
                    "unclean.leader.election.enable", false)
            .doc("Default of the topic setting of the same name.")
            .build();

    public static final ConfigKey<String> COMPRESSION_TYPE = ConfigKey.string("compression.type", "producer")
            .oneOf("producer")
            .doc("Only 'producer' is accepted: Wharf stores batches compressed exactly as the producer sent them and"
                    + " never recompresses; choose the codec with the producer's compression.type.")
            .build();

    public static final ConfigKey<Long> DELIVERY_DELAY_MS = ConfigKey.longKey("wharf.delivery.delay.ms", 0L)
            .atLeast(0)
            .doc("How long after its timestamp a record becomes available to share groups; a record's own"
                    + " wharf.delay.ms header wins. Plain consumers are not delayed.")
            .build();
    public static final ConfigKey<Boolean> DEAD_LETTER_GROUP_ENABLE = ConfigKey.bool(
                    "errors.deadletterqueue.group.enable", false)
            .doc("Whether share groups may copy archived records to this topic (errors.deadletterqueue.topic.name).")
            .build();

    public static final ConfigKey<List<String>> LEADER_REPLICATION_THROTTLED_REPLICAS = ConfigKey.list(
                    "leader.replication.throttled.replicas", List.of())
            .check(ThrottledReplicas::isValid, "'*' or partition:broker entries")
            .doc("Replicas whose replication is throttled on the leader side (leader.replication.throttled.rate),"
                    + " as partition:broker entries or *; kafka-reassign-partitions.sh --throttle sets it to the"
                    + " current replicas of the partitions it moves.")
            .build();
    public static final ConfigKey<List<String>> FOLLOWER_REPLICATION_THROTTLED_REPLICAS = ConfigKey.list(
                    "follower.replication.throttled.replicas", List.of())
            .check(ThrottledReplicas::isValid, "'*' or partition:broker entries")
            .doc("Replicas whose replication is throttled on the follower side (follower.replication.throttled.rate),"
                    + " as partition:broker entries or *; kafka-reassign-partitions.sh --throttle sets it to the"
                    + " replicas a move adds.")
            .build();

    /** Every topic-level key. */
    public static final ConfigDefinitions DEFINITIONS = topicDefinitions();

    /** A broker key that gives a topic key its default; {@code factor} converts its unit (hours → ms). */
    public record BrokerSynonym(ConfigKey<?> brokerKey, long factor) {}

    private static final Map<String, List<BrokerSynonym>> SYNONYMS = new LinkedHashMap<>();

    static {
        synonym(
                LogConfig.SEGMENT_BYTES,
                ConfigKey.integer("log.segment.bytes", 1 << 30)
                        .atLeast(61)
                        .doc("Default of segment.bytes.")
                        .build());
        synonym(
                LogConfig.SEGMENT_MS,
                ConfigKey.optionalLong("log.roll.ms")
                        .atLeast(1)
                        .doc("Default of segment.ms; wins over" + " log.roll.hours.")
                        .build(),
                ConfigKey.integer("log.roll.hours", 168)
                        .atLeast(1)
                        .doc("Default of segment.ms, in hours.")
                        .build());
        synonym(
                LogConfig.SEGMENT_INDEX_BYTES,
                ConfigKey.integer("log.index.size.max.bytes", 10 << 20)
                        .atLeast(12)
                        .doc("Default of segment.index.bytes.")
                        .build());
        synonym(
                LogConfig.INDEX_INTERVAL_BYTES,
                ConfigKey.integer("log.index.interval.bytes", 4096)
                        .atLeast(0)
                        .doc("Default of index.interval.bytes.")
                        .build());
        synonym(
                LogConfig.MAX_MESSAGE_BYTES,
                ConfigKey.integer("message.max.bytes", 1048588)
                        .atLeast(0)
                        .doc("Default of max.message.bytes: the largest record batch a topic accepts.")
                        .build());
        synonym(
                LogConfig.MESSAGE_TIMESTAMP_TYPE,
                ConfigKey.string("log.message.timestamp.type", "CreateTime")
                        .oneOf("CreateTime", "LogAppendTime")
                        .doc("Default of message.timestamp.type.")
                        .build());
        synonym(
                LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
                ConfigKey.longKey("log.message.timestamp.before.max.ms", Long.MAX_VALUE)
                        .atLeast(0)
                        .doc("Default of message.timestamp.before.max.ms.")
                        .build());
        synonym(
                LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS,
                ConfigKey.longKey("log.message.timestamp.after.max.ms", 3_600_000L)
                        .atLeast(0)
                        .doc("Default of message.timestamp.after.max.ms.")
                        .build());
        synonym(
                LogConfig.RETENTION_MS,
                ConfigKey.optionalLong("log.retention.ms")
                        .atLeast(-1)
                        .doc("Default of retention.ms; wins over"
                                + " log.retention.minutes and log.retention.hours; -1 keeps data forever.")
                        .build(),
                ConfigKey.optionalInt("log.retention.minutes")
                        .atLeast(-1)
                        .doc("Default of retention.ms, in" + " minutes; wins over log.retention.hours.")
                        .build(),
                ConfigKey.integer("log.retention.hours", 168)
                        .atLeast(-1)
                        .doc("Default of retention.ms, in hours.")
                        .build());
        synonym(
                LogConfig.RETENTION_BYTES,
                ConfigKey.longKey("log.retention.bytes", -1L)
                        .atLeast(-1)
                        .doc("Default of retention.bytes.")
                        .build());
        synonym(
                LogConfig.FILE_DELETE_DELAY_MS,
                ConfigKey.longKey("log.segment.delete.delay.ms", 60_000L)
                        .atLeast(0)
                        .doc("Default of file.delete.delay.ms.")
                        .build());
        synonym(
                LogConfig.FLUSH_POLICY,
                ConfigKey.string("wharf.log.flush.policy", "acks-all")
                        .oneOf("acks-all", "interval", "os")
                        .doc("Default of wharf.flush.policy.")
                        .build());
        synonym(
                LogConfig.FLUSH_MESSAGES,
                ConfigKey.longKey("log.flush.interval.messages", Long.MAX_VALUE)
                        .atLeast(1)
                        .doc("Default of flush.messages.")
                        .build());
        synonym(
                LogConfig.FLUSH_MS,
                ConfigKey.longKey("log.flush.interval.ms", Long.MAX_VALUE)
                        .atLeast(0)
                        .doc("Default of flush.ms.")
                        .build());
        synonym(
                LogConfig.CLEANUP_POLICY,
                ConfigKey.list("log.cleanup.policy", List.of("delete"))
                        .oneOf("delete", "compact")
                        .doc("Default of cleanup.policy.")
                        .build());
        synonym(
                LogConfig.DELETE_RETENTION_MS,
                ConfigKey.longKey("log.cleaner.delete.retention.ms", 86_400_000L)
                        .atLeast(0)
                        .doc("Default of delete.retention.ms.")
                        .build());
        synonym(
                LogConfig.MIN_CLEANABLE_DIRTY_RATIO,
                ConfigKey.doubleKey("log.cleaner.min.cleanable.ratio", 0.5)
                        .check(v -> v != null && v >= 0 && v <= 1, "[0,...,1]")
                        .doc("Default of min.cleanable.dirty.ratio.")
                        .build());
        synonym(
                LogConfig.MIN_COMPACTION_LAG_MS,
                ConfigKey.longKey("log.cleaner.min.compaction.lag.ms", 0L)
                        .atLeast(0)
                        .doc("Default of min.compaction.lag.ms.")
                        .build());
        synonym(
                LogConfig.MAX_COMPACTION_LAG_MS,
                ConfigKey.longKey("log.cleaner.max.compaction.lag.ms", Long.MAX_VALUE)
                        .atLeast(1)
                        .doc("Default of max.compaction.lag.ms.")
                        .build());
        synonym(
                MIN_INSYNC_REPLICAS,
                ConfigKey.integer("min.insync.replicas", 1)
                        .atLeast(1)
                        .doc("Default of the topic setting of the same name.")
                        .build());
        synonym(UNCLEAN_LEADER_ELECTION_ENABLE, BROKER_UNCLEAN_LEADER_ELECTION_ENABLE);
        synonym(
                COMPRESSION_TYPE,
                ConfigKey.string("compression.type", "producer")
                        .oneOf("producer")
                        .doc("Default of the topic setting of the same name; only 'producer' is accepted.")
                        .build());
    }

    /** Every broker key that gives a topic default. */
    public static final List<ConfigKey<?>> BROKER_KEYS = SYNONYMS.values().stream()
            .flatMap(List::stream)
            .map(BrokerSynonym::brokerKey)
            .<ConfigKey<?>>map(k -> k)
            .toList();

    private TopicConfigs() {}

    private static ConfigDefinitions topicDefinitions() {
        List<ConfigKey<?>> keys = new ArrayList<>();
        LogConfig.DEFINITIONS.forEach(keys::add);
        keys.add(MIN_INSYNC_REPLICAS);
        keys.add(UNCLEAN_LEADER_ELECTION_ENABLE);
        keys.add(COMPRESSION_TYPE);
        keys.add(DELIVERY_DELAY_MS);
        keys.add(DEAD_LETTER_GROUP_ENABLE);
        keys.add(LEADER_REPLICATION_THROTTLED_REPLICAS);
        keys.add(FOLLOWER_REPLICATION_THROTTLED_REPLICAS);
        return ConfigDefinitions.of(keys);
    }

    private static void synonym(ConfigKey<?> topicKey, ConfigKey<?>... brokerKeys) {
        List<BrokerSynonym> synonyms = new ArrayList<>();
        for (ConfigKey<?> brokerKey : brokerKeys) {
            String name = brokerKey.name();
            long factor = name.endsWith(".hours") ? 3_600_000L : name.endsWith(".minutes") ? 60_000L : 1L;
            synonyms.add(new BrokerSynonym(brokerKey, factor));
        }
        SYNONYMS.put(topicKey.name(), List.copyOf(synonyms));
    }

    /** The broker keys that give {@code topicKey} its default, highest priority first. */
    public static List<BrokerSynonym> synonyms(String topicKey) {
        return SYNONYMS.getOrDefault(topicKey, List.of());
    }

    /** The topic key a broker key gives the default of, or null. */
    public static String topicKeyOf(String brokerKey) {
        for (Map.Entry<String, List<BrokerSynonym>> entry : SYNONYMS.entrySet()) {
            for (BrokerSynonym synonym : entry.getValue()) {
                if (synonym.brokerKey().name().equals(brokerKey)) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }
}
