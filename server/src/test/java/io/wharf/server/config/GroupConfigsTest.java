package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.coordinator.share.OffsetReset;
import io.wharf.coordinator.share.ShareGroupConfig;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Group settings: their bounds come from the broker, and a group that sets nothing gets the broker's defaults. */
class GroupConfigsTest {

    private final BrokerConfig broker = BrokerConfig.parse(
            Map.of("group.share.min.record.lock.duration.ms", "1000", "group.share.record.lock.duration.ms", "20000"));

    @Test
    void valuesOutsideTheBrokersBoundsAreRefused() {
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_RECORD_LOCK_DURATION_MS, "1000", broker))
                .isNull();
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_RECORD_LOCK_DURATION_MS, "999", broker))
                .contains("group.share.min.record.lock.duration.ms");
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_RECORD_LOCK_DURATION_MS, "60001", broker))
                .contains("group.share.max.record.lock.duration.ms");
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_DELIVERY_COUNT_LIMIT, "11", broker))
                .isNotNull();
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_PARTITION_MAX_RECORD_LOCKS, "99", broker))
                .isNotNull();
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_AUTO_OFFSET_RESET, "sometimes", broker))
                .isNotNull();
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_AUTO_OFFSET_RESET, "by_duration:PT1H", broker))
                .isNull();
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_AUTO_OFFSET_RESET, "by_duration:-PT1H", broker))
                .isNotNull();
        assertThat(GroupConfigs.problem(GroupConfigs.SHARE_ISOLATION_LEVEL, "read_committed", broker))
                .isNull();
    }

    @Test
    void aDeadLetterTopicNeedsThePrefixAndAValidName() {
        assertThat(GroupConfigs.problem(GroupConfigs.DEAD_LETTER_TOPIC, "dlq.orders", broker))
                .isNull();
        assertThat(GroupConfigs.problem(GroupConfigs.DEAD_LETTER_TOPIC, "orders", broker))
                .contains("dlq.");
        assertThat(GroupConfigs.problem(GroupConfigs.DEAD_LETTER_TOPIC, "dlq.bad name", broker))
                .isNotNull();
        BrokerConfig anyName = broker.with(Map.of("errors.deadletterqueue.topic.name.prefix", ""));
        assertThat(GroupConfigs.problem(GroupConfigs.DEAD_LETTER_TOPIC, "__consumer_offsets", anyName))
                .contains("internal");
    }

    @Test
    void aGroupTakesTheBrokersDefaultsUnlessItSetsItsOwn() {
        MetadataImage image = MetadataImage.EMPTY.apply(
                List.of(
                        new ConfigRecord(ConfigRecord.ResourceType.GROUP, "q", "share.delivery.count.limit", "3"),
                        new ConfigRecord(
                                ConfigRecord.ResourceType.GROUP, "q", "share.auto.offset.reset", "by_duration:PT5M")),
                0);
        ShareGroupConfig q = GroupConfigs.shareConfig(broker, image, "q");
        assertThat(q.deliveryCountLimit()).isEqualTo(3);
        assertThat(q.lockDurationMs()).isEqualTo(20_000);
        assertThat(q.offsetReset()).isEqualTo(new OffsetReset(OffsetReset.Kind.BY_DURATION, Duration.ofMinutes(5)));
        assertThat(q.deadLetterTopic()).isNull();

        List<ConfigResolver.Resolved> described = GroupConfigs.describe(broker, image, "q");
        assertThat(described)
                .filteredOn(r -> r.key().name().equals("share.delivery.count.limit"))
                .singleElement()
                .satisfies(r -> assertThat(r.source()).isEqualTo(ConfigSource.GROUP_CONFIG));
        assertThat(described)
                .filteredOn(r -> r.key().name().equals("share.record.lock.duration.ms"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.value()).isEqualTo("20000");
                    assertThat(r.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
                });
        assertThat(GroupConfigs.shareConfig(broker, image, "other")
                        .offsetReset()
                        .kind())
                .isEqualTo(OffsetReset.Kind.LATEST);
    }
}
