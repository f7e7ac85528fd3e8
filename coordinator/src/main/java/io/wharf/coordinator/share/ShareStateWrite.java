package io.wharf.coordinator.share;

import java.util.List;

/**
 * What one operation of a share-partition leader changed, as it asks the share coordinator to store it: the records
 * whose state changed and, when the log start moved past the old one, a new start offset. Fenced by both epochs.
 * Applying the same write twice leaves the state as applying it once did (each run sets states, a start offset only
 * moves forward), so a write whose answer was lost may be sent again.
 *
 * @param stateEpoch the state epoch the leader read; a reset since then refuses the write
 * @param leaderEpoch the data partition's leader epoch of the writer; a later leader's read refuses it
 * @param startOffset the new start offset, or -1 to leave it
 * @param runs the changed record states, in offset order
 */
public record ShareStateWrite(int stateEpoch, int leaderEpoch, long startOffset, List<StateRun> runs) {

    public ShareStateWrite {
        runs = List.copyOf(runs);
    }
}
