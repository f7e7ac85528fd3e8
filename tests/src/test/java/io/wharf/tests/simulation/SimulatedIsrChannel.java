package io.wharf.tests.simulation;

import io.wharf.metadata.controller.ChangeResult;
import io.wharf.metadata.controller.Controller.Committed;
import io.wharf.metadata.controller.IsrChange;
import io.wharf.replication.IsrChannel;
import io.wharf.replication.PartitionReplica;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A simulated broker's ISR changes, as {@code ControllerIsrChannel} sends them through {@code LocalViewController}:
 * the change goes to the controller over the network; a refusal fails the answer; a change the controller took is
 * answered once this broker's metadata has reached the batch that wrote it, or after the catch-up timeout, whichever
 * comes first; a change the controller does not answer in time fails.
 */
final class SimulatedIsrChannel implements IsrChannel {

    /** A change the controller took, waiting for this broker's metadata to show it (or for the timeout). */
    private record CatchUp(long offset, CompletableFuture<Void> answer) {}

    private final SimulatedBroker broker;
    private final List<CatchUp> catchUps = new ArrayList<>();

    SimulatedIsrChannel(SimulatedBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<Void> alterIsr(
            PartitionReplica replica, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        IsrChange change = new IsrChange(
                broker.id(),
                broker.lifecycle().brokerEpoch(),
                replica.topicId(),
                replica.topicPartition().partition(),
                leaderEpoch,
                partitionEpoch,
                isr);
        broker.sim()
                .note(broker.name() + " proposes ISR " + isr + " for " + replica.topicPartition() + " (partition epoch "
                        + partitionEpoch + ")");
        broker.cluster()
                .network()
                .<Committed<ChangeResult>>request(
                        broker.id(),
                        SimulatedNetwork.CONTROLLER,
                        "alter ISR",
                        SimulationSettings.CONTROLLER_REQUEST_TIMEOUT_MS,
                        reply -> reply.accept(broker.cluster().controller().alterIsr(change)),
                        committed -> onAnswer(committed, answer),
                        () -> answer.completeExceptionally(new IllegalStateException("the controller timed out")));
        return answer;
    }

    private void onAnswer(Committed<ChangeResult> committed, CompletableFuture<Void> answer) {
        if (!broker.alive()) {
            return;
        }
        if (!committed.result().isSuccess()) {
            answer.completeExceptionally(new IllegalStateException(
                    committed.result().error() + ": " + committed.result().message()));
            return;
        }
        if (broker.image().offset() >= committed.offset()) {
            answer.complete(null);
            return;
        }
        catchUps.add(new CatchUp(committed.offset(), answer));
        broker.sim()
                .after(SimulationSettings.CONTROLLER_REQUEST_TIMEOUT_MS, broker.name() + " catch-up timeout", () -> {
                    if (broker.alive()) {
                        answer.complete(null);
                    }
                });
    }

    /** The broker's metadata reached {@code offset}: the changes it shows are answered. */
    void caughtUp(long offset) {
        for (Iterator<CatchUp> it = catchUps.iterator(); it.hasNext(); ) {
            CatchUp waiting = it.next();
            if (waiting.offset() <= offset) {
                it.remove();
                waiting.answer().complete(null);
            }
        }
    }
}
