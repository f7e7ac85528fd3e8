package io.wharf.coordinator.group.assignor;

import io.wharf.common.TopicId;
import java.util.Comparator;

/** A total order on topic ids, so assignments come out the same every time. */
final class TopicIds {

    static final Comparator<TopicId> ORDER =
            Comparator.comparingLong(TopicId::mostSignificantBits).thenComparingLong(TopicId::leastSignificantBits);

    private TopicIds() {}
}
