package io.wharf.metadata;

import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.MetadataRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The ordered, durable log of metadata records, and the image they build. A batch is appended atomically: once
 * committed it is applied whole, on every node, in the same order. Implementations: {@link LocalMetadataLog} (one
 * node, a local file, always its own leader) and {@link io.wharf.metadata.raft.RaftMetadataLog} (a Ratis group of the
 * controllers).
 *
 * <p>Offsets number batches. An image's offset is that of the last batch applied to it; a snapshot at offset
 * {@code n} stands for every batch up to {@code n}, which the log may then forget.
 */
public interface MetadataLog extends AutoCloseable {

    /** Who leads the log, and in which epoch; {@link #NONE} while nobody does. */
    record LeaderAndEpoch(int leaderId, int epoch) {
        public static final LeaderAndEpoch NONE = new LeaderAndEpoch(-1, -1);

        public boolean hasLeader() {
            return leaderId >= 0;
        }
    }

    /**
     * What the log tells the node it runs on. Calls come one at a time, in log order, on the log's apply thread, and
     * must return quickly.
     */
    interface Listener {
        /** The image moved: a batch was committed (by this node or another), or a snapshot was loaded. */
        void onImage(MetadataImage previous, MetadataImage current);

        /**
         * The leader changed. When this node is told it leads, every batch of earlier epochs has been applied, so the
         * image it has is the whole committed log.
         */
        void onLeader(LeaderAndEpoch leader);
    }

    /** One voter of the quorum as its leader sees it, for DescribeQuorum. */
    record VoterState(int nodeId, long logEndOffset, long lastFetchTimestampMs, long lastCaughtUpTimestampMs) {}

    /** The quorum as this node sees it. Lags and timestamps are known only on the leader (-1 elsewhere). */
    record QuorumState(LeaderAndEpoch leader, long highWatermark, List<VoterState> voters) {}

    /** Loads the newest snapshot, replays what follows it, and from then on tells {@code listener} of every change. */
    void start(Listener listener) throws IOException;

    /**
     * Appends a batch as the leader of {@code epoch}.
     *
     * @return the batch's offset, once it is committed and its image was delivered; completes with {@link
     *     NotLeaderException} when this node does not lead in {@code epoch}, in which case the batch is never applied
     */
    CompletableFuture<Long> append(int epoch, List<MetadataRecord> records);

    /** The newest image applied on this node. */
    MetadataImage image();

    /** The leader as this node knows it. */
    LeaderAndEpoch leader();

    /** This node's id in the quorum. */
    int nodeId();

    QuorumState quorum();

    @Override
    void close() throws IOException;
}
