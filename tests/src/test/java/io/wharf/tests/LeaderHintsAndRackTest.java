package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.PartitionImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker that refuses a partition it does not lead names the leader (KIP-951), and with the rack-aware replica
 * selector a consumer in a follower's rack is sent to that follower and reads from it (KIP-392).
 */
class LeaderHintsAndRackTest {

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder()
                .brokers(3)
                .config("replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector")
                .config(1, "broker.rack", "r1")
                .config(2, "broker.rack", "r2")
                .config(3, "broker.rack", "r3")
                .start();
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic("racked", 1, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static PartitionImage partition() {
        return cluster.image().topic("racked").orElseThrow().partitions().get(0);
    }

    @Test
    void aBrokerThatDoesNotLeadAPartitionNamesItsLeader() throws Exception {
        int leader = partition().leader();
        int other =
                cluster.nodeIds().stream().filter(n -> n != leader).findFirst().orElseThrow();
        Uuid topicId = new Uuid(
                cluster.image().topic("racked").orElseThrow().id().mostSignificantBits(),
                cluster.image().topic("racked").orElseThrow().id().leastSignificantBits());
        MemoryRecords records =
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData request =
                new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5_000);
        request.topicData()
                .add(new ProduceRequestData.TopicProduceData()
                        .setName("racked")
                        .setTopicId(topicId)
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(0)
                                .setRecords(records))));
        short version = ApiKeys.PRODUCE.latestVersion();
        try (WireClient client = new WireClient(cluster.address(other))) {
            ProduceResponseData response = client.send(ApiKeys.PRODUCE, version, request);
            ProduceResponseData.PartitionProduceResponse p =
                    response.responses().iterator().next().partitionResponses().get(0);
            assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(p.currentLeader().leaderId()).isEqualTo(leader);
            assertThat(p.currentLeader().leaderEpoch()).isEqualTo(partition().leaderEpoch());
            assertThat(response.nodeEndpoints())
                    .anySatisfy(e -> assertThat(e.nodeId()).isEqualTo(leader));
        }
    }

    @Test
    void aConsumerInAFollowersRackIsSentToThatFollowerAndReadsEverything() throws Exception {
        int leader = partition().leader();
        int follower =
                partition().isr().stream().filter(r -> r != leader).findFirst().orElseThrow();
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("racked", 0, "k", "v" + i)).get(60, TimeUnit.SECONDS);
            }
        }
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_RACK_CONFIG, "r" + follower);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("racked", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            int[] read = {0};
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                read[0] += consumer.poll(Duration.ofMillis(200)).count();
                return read[0] >= 50;
            });
            assertThat(read[0]).isEqualTo(50);
            Map<MetricName, ? extends Metric> metrics = consumer.metrics();
            Object replica = metrics.entrySet().stream()
                    .filter(e -> e.getKey().name().equals("preferred-read-replica"))
                    .map(e -> e.getValue().metricValue())
                    .findFirst()
                    .orElseThrow();
            assertThat(String.valueOf(replica)).isEqualTo(String.valueOf(follower));
        }
    }
}
