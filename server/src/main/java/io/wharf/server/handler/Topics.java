package io.wharf.server.handler;

import io.wharf.common.TopicId;
import org.apache.kafka.common.Uuid;

/** Conversions between Wharf's topic ids and Kafka's, and the internal-topic rule. */
public final class Topics {

    private Topics() {}

    public static Uuid toKafka(TopicId id) {
        return new Uuid(id.mostSignificantBits(), id.leastSignificantBits());
    }

    public static TopicId fromKafka(Uuid id) {
        return new TopicId(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** Whether a topic is one the broker keeps for itself (group offsets, share state, transactions). */
    public static boolean isInternal(String name) {
        return name.equals("__consumer_offsets")
                || name.equals("__share_group_state")
                || name.equals("__transaction_state");
    }
}
