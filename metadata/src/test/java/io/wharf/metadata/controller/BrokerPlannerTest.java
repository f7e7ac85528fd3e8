package io.wharf.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.image.BrokerState;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.TopicRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registration, heartbeats and expiry: who may register, when a broker is unfenced, what leaving writes. */
class BrokerPlannerTest {

    private static final TopicId TOPIC = new TopicId(7, 7);
    private final BrokerPlanner planner = new BrokerPlanner(false);
    private MetadataImage image = MetadataImage.EMPTY;

    private <T> T apply(Change<T> change) {
        image = image.apply(change.records(), image.offset() + 1);
        return change.result();
    }

    private BrokerRegistration registration(int id, TopicId incarnation, TopicId previous) {
        return new BrokerRegistration(id, incarnation, previous, List.of(new Endpoint("PLAINTEXT", "h", 9)), null);
    }

    /** Registers {@code id} and heartbeats it to ACTIVE; returns its epoch. */
    private long active(int id, TopicId incarnation) {
        long epoch = apply(planner.register(image, registration(id, incarnation, TopicId.ZERO), false))
                .brokerEpoch();
        HeartbeatResult result = apply(planner.heartbeat(image, new BrokerHeartbeat(id, epoch, image.offset(), false)));
        assertThat(result.fenced()).isFalse();
        return epoch;
    }

    private void partition(List<Integer> replicas, List<Integer> isr, int leader) {
        if (image.topic(TOPIC).isEmpty()) {
            image = image.apply(List.<MetadataRecord>of(new TopicRecord("t", TOPIC)), image.offset() + 1);
        }
        int index = image.topic(TOPIC).orElseThrow().partitionCount();
        image = image.apply(
                List.<MetadataRecord>of(new PartitionRecord(TOPIC, index, replicas, isr, leader, 0, 0)),
                image.offset() + 1);
    }

    private PartitionImage partition(int index) {
        return image.partition(TOPIC, index).orElseThrow();
    }

    @Test
    void aNewBrokerIsFencedUntilItsMetadataReachesItsRegistration() {
        long epoch = apply(planner.register(image, registration(1, TopicId.random(), TopicId.ZERO), false))
                .brokerEpoch();
        assertThat(image.broker(1).orElseThrow().state()).isEqualTo(BrokerState.FENCED);
        HeartbeatResult behind =
                apply(planner.heartbeat(image, new BrokerHeartbeat(1, epoch, image.offset() - 1, false)));
        assertThat(behind.fenced()).isTrue();
        HeartbeatResult caughtUp =
                apply(planner.heartbeat(image, new BrokerHeartbeat(1, epoch, image.offset(), false)));
        assertThat(caughtUp.fenced()).isFalse();
        assertThat(image.isActive(1)).isTrue();
    }

    @Test
    void aSecondLiveProcessIsRefusedAndChangesNothing() {
        active(1, TopicId.random());
        MetadataImage before = image;
        Change<RegistrationResult> second =
                planner.register(image, registration(1, TopicId.random(), TopicId.ZERO), true);
        assertThat(second.result().error()).isEqualTo(MetadataError.DUPLICATE_BROKER_REGISTRATION);
        assertThat(second.records()).isEmpty();
        assertThat(image).isEqualTo(before);
    }

    @Test
    void aRestartNamingTheOldIncarnationReplacesItAtOnceAndLeadsAgainWhenCaughtUp() {
        TopicId first = TopicId.random();
        long oldEpoch = active(1, first);
        partition(List.of(1), List.of(1), 1);
        long newEpoch = apply(planner.register(image, registration(1, TopicId.random(), first), true))
                .brokerEpoch();
        assertThat(newEpoch).isGreaterThan(oldEpoch);
        assertThat(partition(0).leader()).isEqualTo(PartitionRecord.NO_LEADER);
        assertThat(partition(0).isr()).containsExactly(1);
        int fencedEpoch = partition(0).leaderEpoch();
        apply(planner.heartbeat(image, new BrokerHeartbeat(1, newEpoch, image.offset(), false)));
        assertThat(partition(0).leader()).isEqualTo(1);
        assertThat(partition(0).leaderEpoch()).isGreaterThan(fencedEpoch);
    }

    @Test
    void anExpiredBrokerLeavesLeadershipAndTheIsrToTheOthers() {
        long epoch1 = active(1, TopicId.random());
        active(2, TopicId.random());
        partition(List.of(1, 2), List.of(1, 2), 1);
        partition(List.of(2, 1), List.of(2, 1), 2);
        apply(planner.expire(image, 1, epoch1));
        assertThat(image.broker(1).orElseThrow().state()).isEqualTo(BrokerState.FENCED);
        assertThat(partition(0).leader()).isEqualTo(2);
        assertThat(partition(0).isr()).containsExactly(2);
        assertThat(partition(0).leaderEpoch()).isEqualTo(1);
        assertThat(partition(1).leader()).isEqualTo(2);
        assertThat(partition(1).isr()).containsExactly(2);
        assertThat(partition(1).leaderEpoch()).isZero();
        assertThat(planner.expire(image, 1, epoch1).records()).isEmpty();
    }

    @Test
    void aControlledShutdownMovesLeadershipFirstThenLetsTheBrokerGo() {
        long epoch1 = active(1, TopicId.random());
        active(2, TopicId.random());
        partition(List.of(1, 2), List.of(1, 2), 1);
        HeartbeatResult asked =
                apply(planner.heartbeat(image, new BrokerHeartbeat(1, epoch1, image.offset() - 5, true)));
        assertThat(asked.shouldShutDown()).isFalse();
        assertThat(image.broker(1).orElseThrow().state()).isEqualTo(BrokerState.SHUTTING_DOWN);
        assertThat(image.activeBrokers()).containsOnlyKeys(2);
        assertThat(partition(0).leader()).isEqualTo(2);
        HeartbeatResult behind =
                apply(planner.heartbeat(image, new BrokerHeartbeat(1, epoch1, image.offset() - 1, true)));
        assertThat(behind.shouldShutDown()).isFalse();
        HeartbeatResult done = apply(planner.heartbeat(image, new BrokerHeartbeat(1, epoch1, image.offset(), true)));
        assertThat(done.shouldShutDown()).isTrue();
        assertThat(image.broker(1).orElseThrow().state()).isEqualTo(BrokerState.FENCED);
    }

    @Test
    void aHeartbeatOfAReplacedRegistrationIsStale() {
        TopicId first = TopicId.random();
        long oldEpoch = active(1, first);
        apply(planner.register(image, registration(1, TopicId.random(), first), false));
        HeartbeatResult stale =
                apply(planner.heartbeat(image, new BrokerHeartbeat(1, oldEpoch, image.offset(), false)));
        assertThat(stale.error()).isEqualTo(MetadataError.STALE_BROKER_EPOCH);
    }
}
