package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import java.util.Comparator;
import org.apache.kafka.common.Uuid;

/** A stable order on topic ids, and conversions to and from Kafka's {@link Uuid}. */
final class TopicIdOrder {

    static final Comparator<TopicId> ORDER =
            Comparator.comparingLong(TopicId::mostSignificantBits).thenComparingLong(TopicId::leastSignificantBits);

    private TopicIdOrder() {}

    static TopicId of(Uuid id) {
        return new TopicId(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    static Uuid toKafka(TopicId id) {
        return new Uuid(id.mostSignificantBits(), id.leastSignificantBits());
    }
}
