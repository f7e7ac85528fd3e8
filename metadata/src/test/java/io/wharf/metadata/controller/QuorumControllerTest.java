package io.wharf.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.Endpoint;
import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.metadata.LocalMetadataLog;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.image.BrokerState;
import io.wharf.metadata.image.MetadataImage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller over a local log, with time in the test's hands: sessions, fencing, and the cluster id. */
class QuorumControllerTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private LocalMetadataLog log;
    private QuorumController controller;

    @BeforeEach
    void start() throws Exception {
        log = LocalMetadataLog.open(dir, 1, 1 << 20);
        controller = new QuorumController(
                log, ControllerSettings.defaults().withProbeAfterMs(1_500), ConfigRules.ANY, clock, () -> "the-id");
        log.start(new MetadataLog.Listener() {
            @Override
            public void onImage(MetadataImage previous, MetadataImage current) {}

            @Override
            public void onLeader(MetadataLog.LeaderAndEpoch leader) {
                controller.onLeader(leader);
            }
        });
        await().atMost(Duration.ofSeconds(5))
                .until(() -> log.image().clusterId().isPresent());
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
        log.close();
    }

    private long register(int id) throws Exception {
        return register(id, new Endpoint("PLAINTEXT", "h", 9));
    }

    private long register(int id, Endpoint endpoint) throws Exception {
        long epoch = controller
                .registerBroker(new BrokerRegistration(id, TopicId.random(), TopicId.ZERO, List.of(endpoint), null))
                .get()
                .result()
                .brokerEpoch();
        controller
                .heartbeat(new BrokerHeartbeat(id, epoch, log.image().offset(), false))
                .get();
        return epoch;
    }

    @Test
    void theFirstActiveControllerWritesTheClusterId() {
        assertThat(log.image().clusterId()).hasValue("the-id");
    }

    @Test
    void aBrokerThatStopsHeartbeatingIsFencedAfterItsSession() throws Exception {
        long epoch = register(1);
        register(2);
        assertThat(log.image().activeBrokers()).containsOnlyKeys(1, 2);
        for (int i = 0; i < 10; i++) {
            clock.advanceMs(1_000);
            controller
                    .heartbeat(new BrokerHeartbeat(
                            2,
                            log.image().broker(2).orElseThrow().epoch(),
                            log.image().offset(),
                            false))
                    .get();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> log.image().broker(1).orElseThrow().state() == BrokerState.FENCED);
        assertThat(log.image().broker(1).orElseThrow().epoch()).isEqualTo(epoch);
        assertThat(log.image().isActive(2)).isTrue();
    }

    private void heartbeat(int id) throws Exception {
        controller
                .heartbeat(new BrokerHeartbeat(
                        id,
                        log.image().broker(id).orElseThrow().epoch(),
                        log.image().offset(),
                        false))
                .get();
    }

    @Test
    void aSilentBrokerWhoseListenerRefusesConnectionsIsFencedBeforeItsSessionEnds() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        register(1, new Endpoint("PLAINTEXT", "127.0.0.1", deadPort));
        register(2);
        clock.advanceMs(2_000);
        heartbeat(2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> log.image().broker(1).orElseThrow().state() == BrokerState.FENCED);
        assertThat(log.image().isActive(2)).isTrue();
    }

    @Test
    void aSilentBrokerWhoseListenerAnswersKeepsItsWholeSession() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            register(1, new Endpoint("PLAINTEXT", "127.0.0.1", socket.getLocalPort()));
            register(2);
            clock.advanceMs(2_000);
            heartbeat(2);
            await().during(Duration.ofMillis(2_000))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> log.image().isActive(1));
            clock.advanceMs(8_000);
            heartbeat(2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.image().broker(1).orElseThrow().state() == BrokerState.FENCED);
        }
    }

    @Test
    void topicsGoOnActiveBrokersOnly() throws Exception {
        register(1);
        register(2);
        List<TopicResult> results = controller
                .createTopics(List.of(new NewTopic("t", 4, (short) 2, Map.of(), Map.of())), false)
                .get()
                .result();
        assertThat(results.get(0).isSuccess()).isTrue();
        assertThat(log.image().topic("t").orElseThrow().partitions().values())
                .allMatch(p -> p.replicas().size() == 2
                        && p.isr().equals(p.replicas())
                        && p.leader() == p.replicas().get(0));
        List<TopicResult> tooMany = controller
                .createTopics(List.of(new NewTopic("u", 1, (short) 3, Map.of(), Map.of())), false)
                .get()
                .result();
        assertThat(tooMany.get(0).error()).isEqualTo(io.wharf.metadata.MetadataError.INVALID_REPLICATION_FACTOR);
        assertThat(log.image().topic("u")).isEmpty();
    }

    @Test
    void aBatchOfIsrChangesIsOneWriteAndAnswersEachPartitionOnItsOwn() throws Exception {
        long epoch = register(1);
        register(2);
        register(3);
        Map<Integer, List<Integer>> ledBy1 = Map.of(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 2, List.of(1, 2, 3));
        controller
                .createTopics(List.of(new NewTopic("t", -1, (short) -1, ledBy1, Map.of())), false)
                .get();
        TopicId id = log.image().topic("t").orElseThrow().id();
        int[] epochs = new int[3];
        int leaderEpoch = log.image().partition(id, 0).orElseThrow().leaderEpoch();
        for (int p = 0; p < 3; p++) {
            epochs[p] = log.image().partition(id, p).orElseThrow().partitionEpoch();
        }
        long writesBefore = controller.isrWrites();

        Controller.Committed<List<IsrResult>> committed = controller
                .alterIsrs(List.of(
                        new IsrChange(1, epoch, id, 0, leaderEpoch, epochs[0], List.of(1, 2)),
                        new IsrChange(1, epoch, id, 1, leaderEpoch, epochs[1] - 1, List.of(1, 3)),
                        new IsrChange(1, epoch, id, 2, leaderEpoch, epochs[2], List.of(1, 3)),
                        new IsrChange(1, epoch, id, 0, leaderEpoch, epochs[0], List.of(1))))
                .get();

        List<IsrResult> results = committed.result();
        assertThat(results).hasSize(4);
        assertThat(results.get(0)).isEqualTo(new IsrResult(id, 0, epochs[0] + 1, null, null));
        assertThat(results.get(1).error()).isEqualTo(io.wharf.metadata.MetadataError.INVALID_UPDATE_VERSION);
        assertThat(results.get(2)).isEqualTo(new IsrResult(id, 2, epochs[2] + 1, null, null));
        assertThat(results.get(3).error()).isEqualTo(io.wharf.metadata.MetadataError.INVALID_REQUEST);
        assertThat(controller.isrWrites()).isEqualTo(writesBefore + 1);
        assertThat(log.image().offset()).isGreaterThanOrEqualTo(committed.offset());
        assertThat(log.image().partition(id, 0).orElseThrow().isr()).containsExactly(1, 2);
        assertThat(log.image().partition(id, 1).orElseThrow().isr()).containsExactly(1, 2, 3);
        assertThat(log.image().partition(id, 2).orElseThrow().isr()).containsExactly(1, 3);
        assertThat(log.image().partition(id, 2).orElseThrow().partitionEpoch()).isEqualTo(epochs[2] + 1);
    }

    @Test
    void aBatchThatChangesNothingWritesNothing() throws Exception {
        long epoch = register(1);
        register(2);
        controller
                .createTopics(List.of(new NewTopic("t", -1, (short) -1, Map.of(0, List.of(1, 2)), Map.of())), false)
                .get();
        TopicId id = log.image().topic("t").orElseThrow().id();
        var p = log.image().partition(id, 0).orElseThrow();
        long writesBefore = controller.isrWrites();
        List<IsrResult> results = controller
                .alterIsrs(List.of(new IsrChange(1, epoch, id, 0, p.leaderEpoch(), p.partitionEpoch(), List.of(1, 2))))
                .get()
                .result();
        assertThat(results).containsExactly(new IsrResult(id, 0, p.partitionEpoch(), null, null));
        assertThat(controller.isrWrites()).isEqualTo(writesBefore);
    }
}
