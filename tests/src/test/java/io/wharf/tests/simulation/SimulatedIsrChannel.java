package io.wharf.tests.simulation;

import io.wharf.common.timer.DelayTimer;
import io.wharf.metadata.controller.Controller.Committed;
import io.wharf.metadata.controller.IsrChange;
import io.wharf.metadata.controller.IsrResult;
import io.wharf.replication.IsrChannel;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.partition.ControllerIsrChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A simulated broker's ISR changes, through the broker's own {@link ControllerIsrChannel} (batches, one in flight,
 * newer changes replacing waiting ones, backoff on the simulation's clock) and a model of {@code LocalViewController}
 * under it: a batch goes to the controller over the network; the controller's answer is given once this broker's
 * metadata has reached the batch that wrote it, or after the catch-up timeout, whichever comes first; a batch the
 * controller does not answer in time fails, and the channel sends it again.
 */
final class SimulatedIsrChannel implements IsrChannel {

    /** A batch the controller answered, waiting for this broker's metadata to show it (or for the timeout). */
    private record CatchUp(
            Committed<List<IsrResult>> committed, CompletableFuture<Committed<List<IsrResult>>> answer) {}

    private final SimulatedBroker broker;
    private final ControllerIsrChannel batching;
    private final List<CatchUp> catchUps = new ArrayList<>();

    SimulatedIsrChannel(SimulatedBroker broker) {
        this.broker = broker;
        DelayTimer timer = (delayMs, task) -> {
            boolean[] cancelled = {false};
            broker.sim().after(delayMs, broker.name() + " ISR retry", () -> {
                if (!cancelled[0] && broker.alive()) {
                    task.run();
                }
            });
            return () -> cancelled[0] = true;
        };
        this.batching = new ControllerIsrChannel(
                this::send, broker.id(), () -> broker.lifecycle().brokerEpoch(), timer);
    }

    @Override
    public CompletableFuture<Void> alterIsr(
            PartitionReplica replica, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        broker.sim()
                .note(broker.name() + " proposes ISR " + isr + " for " + replica.topicPartition() + " (partition epoch "
                        + partitionEpoch + ")");
        return batching.alterIsr(replica, leaderEpoch, partitionEpoch, isr);
    }

    private CompletableFuture<Committed<List<IsrResult>>> send(List<IsrChange> changes) {
        CompletableFuture<Committed<List<IsrResult>>> answer = new CompletableFuture<>();
        broker.cluster()
                .network()
                .<Committed<List<IsrResult>>>request(
                        broker.id(),
                        SimulatedNetwork.CONTROLLER,
                        "alter ISRs of " + changes.size(),
                        SimulationSettings.CONTROLLER_REQUEST_TIMEOUT_MS,
                        reply -> reply.accept(broker.cluster().controller().alterIsrs(changes)),
                        committed -> onAnswer(committed, answer),
                        () -> answer.completeExceptionally(new IllegalStateException("the controller timed out")));
        return answer;
    }

    private void onAnswer(Committed<List<IsrResult>> committed, CompletableFuture<Committed<List<IsrResult>>> answer) {
        if (!broker.alive()) {
            return;
        }
        if (broker.image().offset() >= committed.offset()) {
            answer.complete(committed);
            return;
        }
        catchUps.add(new CatchUp(committed, answer));
        broker.sim()
                .after(SimulationSettings.CONTROLLER_REQUEST_TIMEOUT_MS, broker.name() + " catch-up timeout", () -> {
                    if (broker.alive()) {
                        answer.complete(committed);
                    }
                });
    }

    /** The broker's metadata reached {@code offset}: the batches it shows are answered. */
    void caughtUp(long offset) {
        for (Iterator<CatchUp> it = catchUps.iterator(); it.hasNext(); ) {
            CatchUp waiting = it.next();
            if (waiting.committed().offset() <= offset) {
                it.remove();
                waiting.answer().complete(waiting.committed());
            }
        }
    }
}
