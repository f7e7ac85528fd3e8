package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.client.Clients;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic lookups several commands share, each failing with the topic's name when it does not exist. Stateless. */
final class Topics {

    private Topics() {}

    static CliException notFound(String topic) {
        return CliException.notFound("topic '" + topic + "' does not exist");
    }

    /** The descriptions of {@code topics}, by name in order; fails naming the first topic that does not exist. */
    static Map<String, TopicDescription> describe(Clients clients, Collection<String> topics) {
        Map<String, KafkaFuture<TopicDescription>> futures =
                clients.admin().describeTopics(topics).topicNameValues();
        Map<String, TopicDescription> descriptions = new TreeMap<>();
        for (String topic : topics) {
            try {
                descriptions.put(topic, clients.await(futures.get(topic)));
            } catch (UnknownTopicOrPartitionException e) {
                throw notFound(topic);
            }
        }
        return descriptions;
    }

    /** The partitions of {@code topic}, or just {@code partition} when it is not null (and exists). */
    static List<TopicPartition> partitions(Clients clients, String topic, Integer partition) {
        TopicDescription description = describe(clients, List.of(topic)).get(topic);
        int count = description.partitions().size();
        if (partition != null) {
            if (partition < 0 || partition >= count) {
                throw CliException.notFound(
                        "topic '" + topic + "' has no partition " + partition + " (it has " + count + ")");
            }
            return List.of(new TopicPartition(topic, partition));
        }
        return description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /** The offsets that {@code spec} names for each partition. */
    static Map<TopicPartition, Long> offsets(Clients clients, Collection<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new TreeMap<>(Topics::compare);
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new TreeMap<>(Topics::compare);
        clients.await(clients.admin().listOffsets(request).all()).forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** Orders partitions by topic, then number: the order every listing prints them in. */
    static int compare(TopicPartition a, TopicPartition b) {
        int byTopic = a.topic().compareTo(b.topic());
        return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
    }
}
