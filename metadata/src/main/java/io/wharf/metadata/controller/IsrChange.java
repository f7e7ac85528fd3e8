package io.wharf.metadata.controller;

import io.wharf.common.TopicId;
import java.util.List;

/**
 * A partition leader's change of its ISR (Kafka's AlterPartition): made by broker {@code brokerId} (registration
 * {@code brokerEpoch}) as leader in {@code leaderEpoch}, starting from partition epoch {@code partitionEpoch}.
 */
public record IsrChange(
        int brokerId,
        long brokerEpoch,
        TopicId topicId,
        int partition,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> isr) {

    public IsrChange {
        isr = List.copyOf(isr);
    }
}
