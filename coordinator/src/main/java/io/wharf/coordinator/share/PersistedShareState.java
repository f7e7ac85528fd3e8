package io.wharf.coordinator.share;

import java.util.List;

/**
 * A share-partition's durable state as the share coordinator holds it, read back by the share-partition leader when
 * it takes the share-partition on.
 *
 * @param stateEpoch how many times the share-partition was reset: a leader writes in this epoch
 * @param leaderEpoch the leader epoch of the data partition that last read or wrote the state
 * @param startOffset every record before it is acknowledged or archived
 * @param runs the record states from the start offset on that are not {@link SlotState#INITIAL}, in offset order
 */
public record PersistedShareState(int stateEpoch, int leaderEpoch, long startOffset, List<StateRun> runs) {

    public PersistedShareState {
        runs = List.copyOf(runs);
    }
}
