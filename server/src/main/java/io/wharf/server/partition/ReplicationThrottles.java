package io.wharf.server.partition;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.common.config.ConfigKey;
import io.wharf.metadata.MetadataPublisher;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.replication.ReplicationQuota;
import io.wharf.replication.ReplicationThrottle;
import io.wharf.replication.ThrottledReplicas;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ClusterConfigs;
import io.wharf.server.config.ConfigResolver;
import io.wharf.server.config.TopicConfigs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's two replication throttles, kept in step with the metadata: the rates from the dynamic broker
 * settings ({@code leader.replication.throttled.rate}, {@code follower.replication.throttled.rate}: this broker's
 * own, else the cluster-wide default, else server.properties) and the throttled replicas from each topic's
 * {@code leader.replication.throttled.replicas} and {@code follower.replication.throttled.replicas}.
 *
 * <p>Threads: images arrive on the metadata publisher's thread; the throttles are read from request and fetcher
 * threads.
 */
public final class ReplicationThrottles implements MetadataPublisher.Subscriber {

    private static final Logger log = LoggerFactory.getLogger(ReplicationThrottles.class);

    /** Throttled replicas of the topics that have any, for one side. */
    private record Side(Map<String, ThrottledReplicas> topics) {
        boolean contains(TopicPartition tp, int broker) {
            ThrottledReplicas replicas = topics.get(tp.topic());
            return replicas != null && replicas.contains(tp.partition(), broker);
        }
    }

    private final BrokerConfig config;
    private final ReplicationQuota leaderQuota;
    private final ReplicationQuota followerQuota;
    private final ReplicationThrottle leader;
    private final ReplicationThrottle follower;
    private volatile Side leaderSide = new Side(Map.of());
    private volatile Side followerSide = new Side(Map.of());

    public ReplicationThrottles(BrokerConfig config, Clock clock) {
        this.config = config;
        this.leaderQuota = new ReplicationQuota(clock, config.get(ClusterConfigs.LEADER_REPLICATION_THROTTLED_RATE));
        this.followerQuota =
                new ReplicationQuota(clock, config.get(ClusterConfigs.FOLLOWER_REPLICATION_THROTTLED_RATE));
        this.leader = new ReplicationThrottle((tp, broker) -> leaderSide.contains(tp, broker), leaderQuota);
        this.follower = new ReplicationThrottle((tp, broker) -> followerSide.contains(tp, broker), followerQuota);
    }

    /** The throttle of what this broker sends to followers. */
    public ReplicationThrottle leader() {
        return leader;
    }

    /** The throttle of what this broker's replica fetchers copy. */
    public ReplicationThrottle follower() {
        return follower;
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        ConfigResolver resolver = new ConfigResolver(config, current);
        leaderQuota.setLimit(rate(resolver, ClusterConfigs.LEADER_REPLICATION_THROTTLED_RATE));
        followerQuota.setLimit(rate(resolver, ClusterConfigs.FOLLOWER_REPLICATION_THROTTLED_RATE));
        leaderSide = side(current, TopicConfigs.LEADER_REPLICATION_THROTTLED_REPLICAS);
        followerSide = side(current, TopicConfigs.FOLLOWER_REPLICATION_THROTTLED_REPLICAS);
    }

    private static long rate(ConfigResolver resolver, ConfigKey<Long> key) {
        return key.parse(resolver.broker(key).value());
    }

    private static Side side(MetadataImage image, ConfigKey<List<String>> key) {
        Map<String, ThrottledReplicas> topics = new HashMap<>();
        for (TopicImage topic : image.topics().values()) {
            String value =
                    image.configs(ConfigRecord.ResourceType.TOPIC, topic.name()).get(key.name());
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                ThrottledReplicas replicas = ThrottledReplicas.parse(key.parse(value));
                if (!replicas.isEmpty()) {
                    topics.put(topic.name(), replicas);
                }
            } catch (IllegalArgumentException e) {
                // Validated when it was set; a value that does not parse throttles nothing.
                log.warn("Ignoring {}={} of topic {}: {}", key.name(), value, topic.name(), e.getMessage());
            }
        }
        return new Side(Map.copyOf(topics));
    }
}
