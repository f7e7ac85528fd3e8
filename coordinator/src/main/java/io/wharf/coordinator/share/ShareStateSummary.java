package io.wharf.coordinator.share;

/**
 * What administration needs of a share-partition without its record states (ReadShareGroupStateSummary).
 *
 * @param deliveryCompleteCount records from the start offset on that are acknowledged or archived
 */
public record ShareStateSummary(int stateEpoch, int leaderEpoch, long startOffset, int deliveryCompleteCount) {}
