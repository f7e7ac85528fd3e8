package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.server.Broker;
import io.wharf.server.ControllerNode;
import io.wharf.server.config.BrokerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with separate roles, as a KRaft deployment often has: three nodes with {@code process.roles=controller}
 * form the quorum, and two with {@code process.roles=broker} follow its image and serve clients.
 */
class SeparateRolesTest {

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void brokersWithoutAControllerRoleServeTopicsOfAQuorumOfDedicatedControllers() throws Exception {
        int[] controllerPorts = {freePort(), freePort(), freePort()};
        String voters = "1@127.0.0.1:" + controllerPorts[0] + ",2@127.0.0.1:" + controllerPorts[1] + ",3@127.0.0.1:"
                + controllerPorts[2];
        List<ControllerNode> controllers = new ArrayList<>();
        List<Broker> brokers = new ArrayList<>();
        try {
            for (int id = 1; id <= 3; id++) {
                controllers.add(ControllerNode.start(BrokerConfig.parse(Map.of(
                        "node.id",
                        String.valueOf(id),
                        "process.roles",
                        "controller",
                        "controller.quorum.voters",
                        voters,
                        "listeners",
                        "CONTROLLER://127.0.0.1:" + controllerPorts[id - 1],
                        "log.dirs",
                        Files.createDirectories(dir.resolve("c" + id)).toString(),
                        "controller.quorum.election.timeout.ms",
                        "500"))));
            }
            for (int id = 4; id <= 5; id++) {
                brokers.add(Broker.start(BrokerConfig.parse(Map.of(
                        "node.id", String.valueOf(id),
                        "process.roles", "broker",
                        "controller.quorum.voters", voters,
                        "listeners", "PLAINTEXT://127.0.0.1:0",
                        "log.dirs",
                                Files.createDirectories(dir.resolve("b" + id)).toString(),
                        "broker.session.timeout.ms", "3000",
                        "broker.heartbeat.interval.ms", "300"))));
            }
            String bootstrap =
                    brokers.get(0).bootstrapServers() + "," + brokers.get(1).bootstrapServers();
            try (Admin admin = Clients.admin(bootstrap)) {
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(
                                () -> assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                                        .extracting(Node::id)
                                        .containsExactlyInAnyOrder(4, 5));
                admin.createTopics(List.of(new NewTopic("split", 2, (short) 2)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of())) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>("split", i % 2, "k", "v" + i))
                            .get(60, TimeUnit.SECONDS);
                }
            }
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of())) {
                List<TopicPartition> partitions =
                        List.of(new TopicPartition("split", 0), new TopicPartition("split", 1));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (values.size() < 20 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
            }
            assertThat(values).hasSize(20);
        } finally {
            brokers.forEach(Broker::halt);
            controllers.forEach(ControllerNode::close);
        }
    }
}
