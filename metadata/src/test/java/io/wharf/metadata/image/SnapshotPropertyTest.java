package io.wharf.metadata.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.metadata.record.BrokerStateRecord;
import io.wharf.metadata.record.ClusterRecord;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.ProducerIdsRecord;
import io.wharf.metadata.record.RegisterBrokerRecord;
import io.wharf.metadata.record.RemoveTopicRecord;
import io.wharf.metadata.record.TopicRecord;
import io.wharf.metadata.record.UnregisterBrokerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A snapshot holds the whole image: for any history of records, the records {@link MetadataImage#toRecords()} gives
 * rebuild an image equal to the one the history built.
 */
class SnapshotPropertyTest {

    @Property(tries = 200)
    void theRecordsOfAnImageRebuildIt(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int batches) {
        Random random = new Random(seed);
        MetadataImage image = MetadataImage.EMPTY;
        for (int b = 0; b < batches; b++) {
            List<MetadataRecord> batch = new ArrayList<>();
            int size = 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                MetadataRecord record = randomRecord(random, image.apply(batch, image.offset() + 1));
                if (record != null) {
                    batch.add(record);
                }
            }
            image = image.apply(batch, image.offset() + 1);
            MetadataImage rebuilt = MetadataImage.EMPTY.apply(image.toRecords(), image.offset());
            assertThat(rebuilt.toRecords()).containsExactlyElementsOf(image.toRecords());
            assertThat(rebuilt).isEqualTo(image);
            assertThat(rebuilt.brokers().keySet()).isEqualTo(image.brokers().keySet());
            assertThat(rebuilt.topics()).isEqualTo(image.topics());
            assertThat(rebuilt.nextProducerId()).isEqualTo(image.nextProducerId());
        }
    }

    /** A record that is valid against {@code image}, or null when the chosen kind has nothing to act on. */
    static MetadataRecord randomRecord(Random random, MetadataImage image) {
        List<TopicImage> topics = new ArrayList<>(image.topics().values());
        List<BrokerImage> brokers = new ArrayList<>(image.brokers().values());
        switch (random.nextInt(9)) {
            case 0:
                return new TopicRecord("t" + random.nextInt(20), new TopicId(random.nextLong(), random.nextLong()));
            case 1: {
                if (topics.isEmpty()) {
                    return null;
                }
                TopicImage topic = topics.get(random.nextInt(topics.size()));
                List<Integer> replicas = List.of(random.nextInt(5), 5 + random.nextInt(5));
                return new PartitionRecord(
                        topic.id(),
                        random.nextInt(4),
                        replicas,
                        replicas.subList(0, 1 + random.nextInt(2)),
                        random.nextBoolean() ? replicas.get(0) : PartitionRecord.NO_LEADER,
                        random.nextInt(10),
                        random.nextInt(10),
                        random.nextBoolean() ? List.of(replicas.get(1)) : List.of(),
                        List.of());
            }
            case 2:
                return topics.isEmpty()
                        ? null
                        : new RemoveTopicRecord(
                                topics.get(random.nextInt(topics.size())).id());
            case 3: {
                ConfigRecord.ResourceType type = ConfigRecord.ResourceType.values()[random.nextInt(3)];
                String name = type == ConfigRecord.ResourceType.TOPIC && !topics.isEmpty()
                        ? topics.get(random.nextInt(topics.size())).name()
                        : "r" + random.nextInt(3);
                return new ConfigRecord(type, name, "k" + random.nextInt(3), random.nextBoolean() ? "v" : null);
            }
            case 4:
                return new RegisterBrokerRecord(
                        random.nextInt(5),
                        new TopicId(random.nextLong(), random.nextLong()),
                        image.nextBrokerEpoch(),
                        List.of(new Endpoint("PLAINTEXT", "h" + random.nextInt(3), 9092)),
                        random.nextBoolean() ? "rack" + random.nextInt(2) : null);
            case 5: {
                if (brokers.isEmpty()) {
                    return null;
                }
                BrokerImage broker = brokers.get(random.nextInt(brokers.size()));
                List<BrokerState> next = new ArrayList<>();
                for (BrokerState state : BrokerState.values()) {
                    if (broker.state().canMoveTo(state)) {
                        next.add(state);
                    }
                }
                return new BrokerStateRecord(broker.brokerId(), broker.epoch(), next.get(random.nextInt(next.size())));
            }
            case 6:
                return brokers.isEmpty()
                        ? null
                        : new UnregisterBrokerRecord(
                                brokers.get(0).brokerId(), brokers.get(0).epoch());
            case 7:
                return new ProducerIdsRecord(random.nextInt(3), image.nextProducerId() + random.nextInt(5000));
            default:
                return new ClusterRecord("c" + random.nextInt(2));
        }
    }
}
