package io.wharf.tests.simulation;

import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.controller.BrokerHeartbeat;
import io.wharf.metadata.controller.BrokerRegistration;
import io.wharf.metadata.controller.Controller.Committed;
import io.wharf.metadata.controller.HeartbeatResult;
import io.wharf.metadata.controller.RegistrationResult;
import io.wharf.metadata.image.BrokerImage;
import java.util.List;

/**
 * A simulated broker's registration with the controller, step for step what {@code BrokerLifecycle} does: register
 * as a new incarnation (naming the previous one, which frees the registration at once), heartbeat (every interval
 * while active, faster while fenced or shutting down), register again when the controller lost the registration,
 * and on a controlled shutdown ask for the broker's leaderships to move until the controller lets it stop. The lease
 * is the real one's: a heartbeat answered "not fenced" less than a session ago, and metadata that shows this
 * registration.
 */
final class SimulatedLifecycle {

    enum State {
        REGISTERING,
        FENCED,
        ACTIVE
    }

    private final SimulatedBroker broker;
    private final TopicId incarnationId;
    private final TopicId previousIncarnationId;
    private State state = State.REGISTERING;
    private long brokerEpoch = -1;
    /** When the newest heartbeat answered "not fenced" was sent; an answer "fenced" takes the lease away. */
    private long unfencedSentMs = Long.MIN_VALUE / 2;
    /** A controlled shutdown was asked for: heartbeats ask the controller to move this broker's leaderships. */
    private boolean shuttingDown;
    /** Whether the controller has unfenced this process yet: then its metadata is whole. */
    private boolean unfenced;

    SimulatedLifecycle(SimulatedBroker broker, TopicId incarnationId, TopicId previousIncarnationId) {
        this.broker = broker;
        this.incarnationId = incarnationId;
        this.previousIncarnationId = previousIncarnationId;
    }

    State state() {
        return state;
    }

    long brokerEpoch() {
        return brokerEpoch;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    TopicId incarnationId() {
        return incarnationId;
    }

    /** What a leader must have to act as one, as {@code BrokerLifecycle.hasLease}. */
    boolean hasLease() {
        if (broker.sim().nowMs() - unfencedSentMs >= SimulationSettings.SESSION_TIMEOUT_MS) {
            return false;
        }
        BrokerImage registered = broker.image().brokers().get(broker.id());
        return registered != null
                && registered.incarnationId().equals(incarnationId)
                && registered.epoch() == brokerEpoch;
    }

    void start() {
        schedule(0);
    }

    private void tick() {
        if (!broker.alive()) {
            return;
        }
        if (state == State.REGISTERING) {
            register();
        } else {
            heartbeat();
        }
    }

    private void schedule(long delayMs) {
        broker.sim().after(delayMs, broker.name() + " lifecycle", this::tick);
    }

    private void register() {
        BrokerRegistration registration =
                new BrokerRegistration(broker.id(), incarnationId, previousIncarnationId, List.of(), null);
        broker.cluster()
                .network()
                .<Committed<RegistrationResult>>request(
                        broker.id(),
                        SimulatedNetwork.CONTROLLER,
                        "register",
                        SimulationSettings.SESSION_TIMEOUT_MS / 3,
                        reply -> reply.accept(broker.cluster().controller().register(registration)),
                        committed -> onRegistered(committed.result()),
                        () -> schedule(SimulationSettings.REGISTRATION_RETRY_MS));
    }

    private void onRegistered(RegistrationResult result) {
        if (!broker.alive()) {
            return;
        }
        if (result.error() != null) {
            schedule(SimulationSettings.REGISTRATION_RETRY_MS);
            return;
        }
        brokerEpoch = result.brokerEpoch();
        if (state == State.REGISTERING) {
            state = State.FENCED;
        }
        broker.sim().note(broker.name() + " registered with epoch " + brokerEpoch);
        schedule(0);
    }

    private void heartbeat() {
        long sentMs = broker.sim().nowMs();
        BrokerHeartbeat heartbeat =
                new BrokerHeartbeat(broker.id(), brokerEpoch, broker.image().offset(), shuttingDown);
        broker.cluster()
                .network()
                .<Committed<HeartbeatResult>>request(
                        broker.id(),
                        SimulatedNetwork.CONTROLLER,
                        "heartbeat",
                        SimulationSettings.SESSION_TIMEOUT_MS / 3,
                        reply -> reply.accept(broker.cluster().controller().heartbeat(heartbeat)),
                        committed -> onHeartbeatAnswer(committed.result(), sentMs),
                        () -> schedule(heartbeatIntervalMs()));
    }

    private long heartbeatIntervalMs() {
        return state == State.ACTIVE && !shuttingDown
                ? SimulationSettings.HEARTBEAT_INTERVAL_MS
                : SimulationSettings.FENCED_HEARTBEAT_INTERVAL_MS;
    }

    private void onHeartbeatAnswer(HeartbeatResult result, long sentMs) {
        if (!broker.alive()) {
            return;
        }
        if (result.error() == MetadataError.STALE_BROKER_EPOCH) {
            if (shuttingDown) {
                broker.stopCleanly("its registration is gone");
                return;
            }
            state = State.REGISTERING;
            schedule(0);
            return;
        }
        unfencedSentMs = result.fenced() ? Long.MIN_VALUE / 2 : sentMs;
        if (shuttingDown && result.shouldShutDown()) {
            broker.stopCleanly("the controller let it stop");
            return;
        }
        State next = result.fenced() ? State.FENCED : State.ACTIVE;
        if (next != state && !shuttingDown) {
            broker.sim().note(broker.name() + " is " + next);
            state = next;
            if (next == State.ACTIVE && !unfenced) {
                unfenced = true;
                broker.deleteUnknownLogs();
            }
        }
        schedule(heartbeatIntervalMs());
    }

    /**
     * A controlled shutdown, as {@code BrokerLifecycle.shutDown}: heartbeats ask the controller to move this broker's
     * leaderships; once it says the broker may stop (or the shutdown times out), the broker stops cleanly.
     */
    void shutDown() {
        if (shuttingDown) {
            return;
        }
        broker.sim().note(broker.name() + " shuts down");
        if (state == State.REGISTERING) {
            broker.stopCleanly("it was not registered");
            return;
        }
        shuttingDown = true;
        broker.sim()
                .after(SimulationSettings.CONTROLLED_SHUTDOWN_TIMEOUT_MS, broker.name() + " shutdown timeout", () -> {
                    if (broker.alive()) {
                        broker.stopCleanly("the shutdown timed out");
                    }
                });
    }
}
