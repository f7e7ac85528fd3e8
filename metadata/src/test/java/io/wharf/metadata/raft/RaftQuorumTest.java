package io.wharf.metadata.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.metadata.controller.BrokerHeartbeat;
import io.wharf.metadata.controller.BrokerRegistration;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.NewTopic;
import io.wharf.metadata.controller.TopicResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three controllers in one JVM: they elect one, forward to it, replicate the image, and survive its death. */
class RaftQuorumTest {

    @TempDir
    Path dir;

    /** Registers broker {@code id} through {@code controller} and heartbeats until it is unfenced. */
    static void registerActiveBroker(Controller controller, int id) throws Exception {
        long epoch = controller
                .registerBroker(new BrokerRegistration(
                        id, TopicId.random(), TopicId.ZERO, List.of(new Endpoint("PLAINTEXT", "h", 9000 + id)), null))
                .get()
                .result()
                .brokerEpoch();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !controller
                        .heartbeat(new BrokerHeartbeat(id, epoch, Long.MAX_VALUE, false))
                        .get()
                        .result()
                        .fenced());
    }

    @Test
    void changesSentToAnyNodeReachTheActiveControllerAndEveryImage() throws Exception {
        try (RaftQuorumFixture quorum = new RaftQuorumFixture(dir, 3)) {
            quorum.startAll();
            await().atMost(Duration.ofSeconds(20)).until(() -> quorum.active() != null);
            registerActiveBroker(quorum.node(2).remote, 7);
            for (RaftQuorumFixture.Node node : quorum.nodes) {
                List<TopicResult> results = node.remote
                        .createTopics(List.of(new NewTopic("t" + node.id, 1, (short) -1, Map.of(), Map.of())), false)
                        .get()
                        .result();
                assertThat(results.get(0).error()).isNull();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (RaftQuorumFixture.Node node : quorum.nodes) {
                    assertThat(node.log.image().topics()).containsOnlyKeys("t1", "t2", "t3");
                    assertThat(node.log.image().clusterId()).hasValue("cluster-of-3");
                }
            });
        }
    }

    @Test
    void anotherNodeLeadsWhenTheActiveControllerStops() throws Exception {
        try (RaftQuorumFixture quorum = new RaftQuorumFixture(dir, 3)) {
            quorum.startAll();
            await().atMost(Duration.ofSeconds(20)).until(() -> quorum.active() != null);
            RaftQuorumFixture.Node first = quorum.active();
            registerActiveBroker(first.remote, 7);
            first.stop();
            RaftQuorumFixture.Node other =
                    quorum.nodes.stream().filter(n -> n != first).findFirst().orElseThrow();
            List<TopicResult> results = other.remote
                    .createTopics(List.of(new NewTopic("after", 1, (short) -1, Map.of(), Map.of())), false)
                    .get()
                    .result();
            assertThat(results.get(0).error()).isNull();
            assertThat(quorum.active()).isNotNull().isNotSameAs(first);
            first.start();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(first.log.image().topics()).containsKey("after"));
        }
    }
}
