package io.wharf.coordinator.share;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * One operation of a share-partition leader: from the share-partition's durable state it plans the changes and the
 * answer, changing nothing durable (what it reads of the log is soft); the leader writes the plan through the
 * persister and replays it once it is durable, and only then gives the answer. The factories below are every
 * operation there is.
 *
 * @param <T> the answer
 */
interface ShareOperation<T> {

    /**
     * What the operation decided.
     *
     * @param plan the changes, empty when there are none
     * @param answer given once the plan is durable
     * @param wakes whether waiting fetches should look again even when nothing was released (a delay ran out)
     */
    record Step<T>(Plan plan, T answer, boolean wakes) {
        static <T> Step<T> of(Plan plan, T answer) {
            return new Step<>(plan, answer, false);
        }
    }

    /**
     * Plans the operation.
     *
     * @param partition the share-partition, or null when it does not exist
     * @param bounds the data partition's log as this broker leads it
     */
    Step<T> compute(
            SharePartition partition, ShareLog log, ShareLog.Bounds bounds, long nowMs, ShareGroupConfig config);

    /** Whether a share-partition that does not exist is created (at share.auto.offset.reset) to run this. */
    default boolean createsPartition() {
        return false;
    }

    /** Applies a member's acknowledgements, then acquires records for it. */
    static ShareOperation<FetchOutcome> fetch(FetchCommand command) {
        return new ShareOperation<>() {
            @Override
            public Step<FetchOutcome> compute(
                    SharePartition partition,
                    ShareLog log,
                    ShareLog.Bounds bounds,
                    long nowMs,
                    ShareGroupConfig config) {
                if (partition == null) {
                    boolean acks = !command.acknowledgements().isEmpty();
                    return Step.of(
                            new Plan(),
                            new FetchOutcome(
                                    Errors.NONE,
                                    null,
                                    acks ? Errors.INVALID_RECORD_STATE : Errors.NONE,
                                    acks ? "No record of " + command.key() + " has been acquired" : null,
                                    List.of(),
                                    List.of()));
                }
                Plan plan = new Plan();
                SharePartition.AckOutcome ack = partition.planAcknowledge(
                        plan, command.memberId(), command.acknowledgements(), command.renewAllowed(), nowMs, config);
                if (command.maxRecords() > 0) {
                    // Soft: what the log says about the window's records, read as the fetch computes.
                    partition.refresh(log, bounds, config.maxRecordLocks());
                    partition.planAcquire(
                            plan,
                            command.memberId(),
                            command.maxRecords(),
                            command.maxBytes(),
                            command.alignToBatches(),
                            bounds.logStartOffset(),
                            nowMs,
                            config);
                }
                return Step.of(
                        plan,
                        new FetchOutcome(
                                Errors.NONE, null, ack.error(), ack.message(), plan.acquiredRecords(), plan.batches()));
            }

            @Override
            public boolean createsPartition() {
                return command.maxRecords() > 0;
            }
        };
    }

    /**
     * Gives back what a member still holds. A graceful give-back (it closed its session, so the records never
     * reached the application) does not count as a delivery.
     */
    static ShareOperation<Void> release(String memberId, boolean graceful) {
        return (partition, log, bounds, nowMs, config) -> {
            Plan plan = new Plan();
            if (partition != null) {
                partition.planRelease(plan, memberId, false, graceful, nowMs, config);
            }
            return Step.of(plan, null);
        };
    }

    /** The share-partition's timer fired: locks ran out (released), or delayed records came due (fetches woken). */
    static ShareOperation<Void> expire() {
        return (partition, log, bounds, nowMs, config) -> {
            Plan plan = new Plan();
            if (partition != null) {
                partition.planRelease(plan, null, true, false, nowMs, config);
            }
            return new Step<>(plan, null, true);
        };
    }

    /** Dead-letter copies of {@code letters} are written, or can never be: their records are archived. */
    static ShareOperation<Void> archived(List<DeadLetters.Letter> letters) {
        return (partition, log, bounds, nowMs, config) -> {
            Plan plan = new Plan();
            if (partition != null) {
                partition.planArchived(plan, letters);
            }
            return Step.of(plan, null);
        };
    }
}
