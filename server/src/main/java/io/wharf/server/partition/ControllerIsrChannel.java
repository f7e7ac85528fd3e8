package io.wharf.server.partition;

import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.IsrChange;
import io.wharf.replication.IsrChannel;
import io.wharf.replication.PartitionReplica;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Sends a leader's ISR changes to the active controller, as this broker in its current registration. Completes once
 * the change is committed and this broker's metadata shows it, or fails with the controller's reason. Thread-safe.
 */
final class ControllerIsrChannel implements IsrChannel {

    private final Controller controller;
    private final int brokerId;
    private final LongSupplier brokerEpoch;

    ControllerIsrChannel(Controller controller, int brokerId, LongSupplier brokerEpoch) {
        this.controller = controller;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
    }

    @Override
    public CompletableFuture<Void> alterIsr(
            PartitionReplica replica, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        IsrChange change = new IsrChange(
                brokerId,
                brokerEpoch.getAsLong(),
                replica.topicId(),
                replica.topicPartition().partition(),
                leaderEpoch,
                partitionEpoch,
                isr);
        return controller.alterIsr(change).thenAccept(committed -> {
            if (!committed.result().isSuccess()) {
                throw new IllegalStateException(
                        committed.result().error() + ": " + committed.result().message());
            }
        });
    }
}
