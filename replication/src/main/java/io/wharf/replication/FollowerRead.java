package io.wharf.replication;

import io.wharf.storage.LogSlice;

/**
 * What a leader answers a follower's fetch of one partition.
 *
 * @param slice whole batches from the fetch offset, up to the log end (not only the high watermark); empty when the
 *     follower diverged or there is nothing new
 * @param divergingEpoch when not -1, the follower's log differs from the leader's after {@code divergingEndOffset},
 *     the end of this epoch in the leader's log: the follower truncates there before it fetches again
 */
public record FollowerRead(
        ReplicaError error,
        LogSlice slice,
        long highWatermark,
        long logStartOffset,
        long logEndOffset,
        int divergingEpoch,
        long divergingEndOffset) {

    static FollowerRead failed(ReplicaError error) {
        return new FollowerRead(error, LogSlice.EMPTY, -1, -1, -1, -1, -1);
    }
}
