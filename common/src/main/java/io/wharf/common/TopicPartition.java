package io.wharf.common;

import java.util.Objects;

/**
 * The name of one partition: a topic name and a partition index. Its string form, {@code topic-partition}, is also
 * the name of the partition's directory on disk.
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        Invariants.check(partition >= 0, "partition index must not be negative: %d", partition);
    }

    /**
     * Parses a directory name written by {@link #toString()}. Topic names may themselves contain '-', so the
     * partition is whatever follows the last one.
     *
     * @throws IllegalArgumentException when the name has no partition suffix
     */
    public static TopicPartition parse(String directoryName) {
        int dash = directoryName.lastIndexOf('-');
        if (dash <= 0 || dash == directoryName.length() - 1) {
            throw new IllegalArgumentException("not a partition directory name: " + directoryName);
        }
        try {
            return new TopicPartition(
                    directoryName.substring(0, dash), Integer.parseInt(directoryName.substring(dash + 1)));
        } catch (NumberFormatException | IllegalStateException e) {
            throw new IllegalArgumentException("not a partition directory name: " + directoryName, e);
        }
    }

    @Override
    public int compareTo(TopicPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
