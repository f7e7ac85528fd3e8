package io.wharf.metadata.raft;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Ratis settings, group and peer ids derived from a {@link QuorumConfig}: one place that speaks Ratis's config. */
final class Ratis {

    private Ratis() {}

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(String.valueOf(nodeId));
    }

    /** The node id of a peer id made by {@link #peerId}; -1 for null. */
    static int nodeId(RaftPeerId peerId) {
        return peerId == null ? -1 : Integer.parseInt(peerId.toString());
    }

    static RaftGroup group(QuorumConfig config) {
        List<RaftPeer> peers = config.voters().stream()
                .map(v -> RaftPeer.newBuilder()
                        .setId(peerId(v.nodeId()))
                        .setAddress(v.address())
                        .build())
                .toList();
        return RaftGroup.valueOf(RaftGroupId.valueOf(config.groupId()), peers);
    }

    private static TimeDuration ms(long millis) {
        return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The properties of a controller's Raft server. Elections wait between one and two election timeouts, with
     * pre-vote, so a GC pause or a slow fsync on a loaded machine does not start an election that disrupts a healthy
     * leader; a leader that hears from no majority for two election timeouts steps down. Reads by the leader are
     * linearizable under its lease, so a leader cut off from the others stops answering heartbeats as soon as the
     * lease runs out. Whole log segments behind a snapshot are purged; a follower the log no longer covers is sent
     * the snapshot.
     */
    static RaftProperties serverProperties(QuorumConfig config) {
        RaftProperties properties = clientProperties(config);
        RaftServerConfigKeys.setStorageDir(
                properties, List.of(config.storageDir().toFile()));
        QuorumConfig.Voter self = config.self();
        GrpcConfigKeys.Server.setPort(properties, self.port());
        GrpcConfigKeys.Server.setHost(properties, self.host());
        long election = config.electionTimeoutMs();
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, ms(election));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, ms(2 * election));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, ms(Math.max(50, election / 4)));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, ms(Math.max(100, election / 2)));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, ms(Math.max(3_000, election * 2)));
        RaftServerConfigKeys.Rpc.setSlownessTimeout(properties, ms(Math.max(10_000, election * 10)));
        RaftServerConfigKeys.LeaderElection.setPreVote(properties, true);
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(properties, ms(2 * election));
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
        RaftServerConfigKeys.Read.setTimeout(properties, ms(config.requestTimeoutMs()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, false);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(config.segmentBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(
                properties, SizeInBytes.valueOf(Math.min(config.segmentBytes(), 1L << 20)));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf(1 << 20));
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf((1 << 20) + 64));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(properties, true);
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(properties, SizeInBytes.valueOf(1 << 20));
        // Ratis closes a server whose JVM was paused for longer than this (60 s by default), leaving a broker that
        // runs on without its quorum member; a node that was stopped and continued is a voter like any other, that
        // Raft's terms keep from doing harm.
        RaftServerConfigKeys.setCloseThreshold(properties, TimeDuration.valueOf(7, TimeUnit.DAYS));
        RaftServerConfigKeys.ThreadPool.setProxyCached(properties, true);
        RaftServerConfigKeys.ThreadPool.setServerCached(properties, true);
        RaftServerConfigKeys.ThreadPool.setClientCached(properties, true);
        return properties;
    }

    static RaftProperties clientProperties(QuorumConfig config) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(
                properties, ms(Math.max(1_000, Math.min(config.requestTimeoutMs(), 3 * config.electionTimeoutMs()))));
        RaftClientConfigKeys.Rpc.setWatchRequestTimeout(properties, ms(config.requestTimeoutMs()));
        return properties;
    }
}
