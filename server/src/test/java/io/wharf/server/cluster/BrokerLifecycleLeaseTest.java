package io.wharf.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.MetadataPublisher;
import io.wharf.metadata.controller.BrokerHeartbeat;
import io.wharf.metadata.controller.BrokerRegistration;
import io.wharf.metadata.controller.ChangeResult;
import io.wharf.metadata.controller.ConfigChange;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.HeartbeatResult;
import io.wharf.metadata.controller.IsrChange;
import io.wharf.metadata.controller.IsrResult;
import io.wharf.metadata.controller.LeaderElection;
import io.wharf.metadata.controller.NewPartitions;
import io.wharf.metadata.controller.NewTopic;
import io.wharf.metadata.controller.PartitionRef;
import io.wharf.metadata.controller.PartitionResult;
import io.wharf.metadata.controller.Reassignment;
import io.wharf.metadata.controller.RegistrationResult;
import io.wharf.metadata.controller.TopicRef;
import io.wharf.metadata.controller.TopicResult;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.RegisterBrokerRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader acts as one only while it holds the lease: its metadata shows its own registration and the controller
 * answered a heartbeat sent less than a session ago with "not fenced".
 *
 * <p>A restarted broker may start with the metadata its previous process had, naming it leader in an epoch that
 * process led; found by the replication simulation (seed 32 of acks-all), where such a broker wrote new records at
 * offsets its previous process had given other records, in the same leader epoch. A broker cut off from the quorum
 * and healed comes back with the metadata from before the cut, still naming it leader of partitions the controller
 * has moved; found by NetworkPartitionTest, where such a broker answered ListOffsets from the high watermark it had
 * at the cut, and a consumer reading to the end it gave stopped short of records acknowledged since.
 */
class BrokerLifecycleLeaseTest {

    private static final int NODE = 1;
    private static final long EPOCH = 7;

    @TempDir
    Path dataDir;

    private final MetadataPublisher publisher = new MetadataPublisher("test-publisher");
    private final AnsweringController controller = new AnsweringController();
    private BrokerLifecycle lifecycle;

    @AfterEach
    void close() {
        lifecycle.close();
        publisher.close();
    }

    @Test
    void theLeaseWaitsForTheMetadataToShowThisRegistration() throws Exception {
        TopicId previous = TopicId.random();
        publish(registered(previous, 3, 10));
        controller.fenced = false;
        lifecycle = start();

        assertThat(lifecycle.hasLease())
                .as("heartbeats answered unfenced, but the metadata still shows the previous process")
                .isFalse();

        publish(registered(lifecycle.incarnationId(), EPOCH, 11));
        await().atMost(Duration.ofSeconds(10)).until(lifecycle::hasLease);
    }

    @Test
    void aBrokerTheControllerAnswersFencedHasNoLease() throws Exception {
        lifecycle = start();
        publish(registered(lifecycle.incarnationId(), EPOCH, 11));
        int answered = controller.heartbeats.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.heartbeats.get() >= answered + 2);
        assertThat(lifecycle.hasLease())
                .as("the metadata shows this registration, but every heartbeat is answered fenced")
                .isFalse();

        controller.fenced = false;
        await().atMost(Duration.ofSeconds(10)).until(lifecycle::hasLease);

        // Cut off and healed: the controller fenced this broker meanwhile, and says so at the first heartbeat.
        controller.fenced = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> !lifecycle.hasLease());
        assertThat(lifecycle.state()).isEqualTo(BrokerLifecycle.State.FENCED);
    }

    private BrokerLifecycle start() throws java.io.IOException {
        BrokerLifecycle started =
                new BrokerLifecycle(NODE, controller, publisher, dataDir, 9_000, 50, Clock.system(), true, why -> {});
        started.start(List.of(), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.heartbeats.get() >= 2);
        return started;
    }

    private static MetadataImage registered(TopicId incarnation, long epoch, long offset) {
        return MetadataImage.EMPTY.apply(
                List.of(new RegisterBrokerRecord(NODE, incarnation, epoch, List.of(), null)), offset);
    }

    private void publish(MetadataImage image) {
        publisher.publish(image);
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.image().offset() == image.offset());
    }

    /** Registers the broker with epoch {@link #EPOCH} and answers every heartbeat, fenced or not as told. */
    private static final class AnsweringController implements Controller {
        final AtomicInteger heartbeats = new AtomicInteger();
        volatile boolean fenced = true;

        @Override
        public CompletableFuture<Committed<RegistrationResult>> registerBroker(BrokerRegistration registration) {
            return CompletableFuture.completedFuture(new Committed<>(new RegistrationResult(EPOCH, null, null), 11));
        }

        @Override
        public CompletableFuture<Committed<HeartbeatResult>> heartbeat(BrokerHeartbeat heartbeat) {
            heartbeats.incrementAndGet();
            return CompletableFuture.completedFuture(
                    new Committed<>(new HeartbeatResult(fenced, false, null, null), 11));
        }

        @Override
        public CompletableFuture<Committed<List<TopicResult>>> createTopics(List<NewTopic> topics, boolean only) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<List<TopicResult>>> deleteTopics(List<TopicRef> topics) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<List<TopicResult>>> createPartitions(
                List<NewPartitions> requests, boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<List<ChangeResult>>> alterConfigs(
                List<ConfigChange> changes, boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<Long>> allocateProducerIds(int brokerId, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<List<IsrResult>>> alterIsrs(List<IsrChange> changes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<MetadataLog.QuorumState>> describeQuorum() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<List<PartitionResult>>> alterReassignments(List<Reassignment> requests) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Committed<List<PartitionResult>>> electLeaders(
                LeaderElection election, List<PartitionRef> partitions) {
            throw new UnsupportedOperationException();
        }
    }
}
