package io.wharf.metadata.raft;

import io.wharf.metadata.MetadataBatches;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.NotLeaderException;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.MetadataRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log of a controller node: this node's member of the controllers' Ratis group. Batches are appended as
 * Raft entries by the node while it leads; every member applies committed entries to its image in order ({@link
 * MetadataStateMachine}). Offsets are Raft log indexes and epochs are Raft terms.
 *
 * <pre>
 * &lt;storage dir&gt;/&lt;group id&gt;/current/     the Raft log and its metadata (Ratis's layout)
 * &lt;storage dir&gt;/&lt;group id&gt;/sm/          snapshots of the image
 * </pre>
 *
 * <p>Threads: appends from any thread; the listener is called on Ratis's state machine updater thread.
 */
public final class RaftMetadataLog implements MetadataLog {

    private static final Logger log = LoggerFactory.getLogger(RaftMetadataLog.class);

    private final QuorumConfig config;
    private final RaftGroup group;
    private final MetadataStateMachine stateMachine;
    private final RaftServer server;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    private final ExecutorService snapshots = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wharf-metadata-snapshot");
        t.setDaemon(true);
        return t;
    });

    private RaftMetadataLog(QuorumConfig config) throws IOException {
        this.config = config;
        this.group = Ratis.group(config);
        this.stateMachine = new MetadataStateMachine(config.nodeId(), config.snapshotBytes(), this::requestSnapshot);
        Files.createDirectories(config.storageDir());
        this.server = RaftServer.newBuilder()
                .setServerId(Ratis.peerId(config.nodeId()))
                .setGroup(group)
                .setProperties(Ratis.serverProperties(config))
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
    }

    /** Makes this controller's member of the quorum, not yet started. */
    public static RaftMetadataLog open(QuorumConfig config) throws IOException {
        if (!config.isVoter()) {
            throw new IllegalArgumentException(
                    "node " + config.nodeId() + " is not one of the voters " + config.voters());
        }
        return new RaftMetadataLog(config);
    }

    /**
     * Answers queries sent to this node with {@link QuorumClient#ask}: what the controller service serves. Set before
     * {@link #start}.
     */
    public void setQueryHandler(Function<ByteBuffer, CompletableFuture<byte[]>> handler) {
        stateMachine.setQueryHandler(handler);
    }

    @Override
    public void start(Listener listener) throws IOException {
        stateMachine.setListener(listener);
        MetadataImage loaded = stateMachine.image();
        if (loaded.offset() >= 0) {
            listener.onImage(MetadataImage.EMPTY, loaded);
        }
        server.start();
        log.info(
                "Metadata quorum member {} of {} listening on {}:{}",
                config.nodeId(),
                config.voters(),
                config.self().host(),
                config.self().port());
    }

    @Override
    public CompletableFuture<Long> append(int epoch, List<MetadataRecord> records) {
        LeaderAndEpoch current = leader();
        if (current.leaderId() != config.nodeId() || current.epoch() != epoch) {
            return CompletableFuture.failedFuture(new NotLeaderException(
                    "node " + config.nodeId() + " does not lead epoch " + epoch + " (" + current + ")",
                    current.leaderId()));
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(server.getId())
                .setGroupId(group.getGroupId())
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(MetadataStateMachine.entry(epoch, MetadataBatches.encode(records))))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reply.thenApply(r -> {
            if (!r.isSuccess()) {
                Exception failure = r.getException();
                throw new NotLeaderException(
                        "the metadata batch was not committed: " + (failure == null ? "unknown" : failure.getMessage()),
                        leader().leaderId());
            }
            long applied = r.getMessage().getContent().asReadOnlyByteBuffer().getLong();
            if (applied < 0) {
                // Appended after this node lost the epoch it was computed in: skipped on every node.
                throw new NotLeaderException("the metadata batch was computed in a past epoch", leader().leaderId());
            }
            return applied;
        });
    }

    /** Asks Ratis for a snapshot, off the updater thread (which takes it), at most one at a time. */
    private void requestSnapshot() {
        if (!snapshotting.compareAndSet(false, true)) {
            return;
        }
        snapshots.execute(() -> {
            try {
                SnapshotManagementRequest request = SnapshotManagementRequest.newCreate(
                        clientId, server.getId(), group.getGroupId(), callIds.incrementAndGet(), 60_000);
                RaftClientReply reply = server.snapshotManagement(request);
                if (!reply.isSuccess()) {
                    log.warn("A metadata snapshot was not taken: {}", reply.getException());
                }
            } catch (IOException e) {
                log.warn("A metadata snapshot was not taken", e);
            } finally {
                snapshotting.set(false);
            }
        });
    }

    /** Takes a snapshot now and waits for it; for tests. */
    public long snapshotNow() throws IOException {
        SnapshotManagementRequest request = SnapshotManagementRequest.newCreate(
                clientId, server.getId(), group.getGroupId(), callIds.incrementAndGet(), 60_000);
        RaftClientReply reply = server.snapshotManagement(request);
        if (!reply.isSuccess()) {
            throw new IOException("snapshot failed", reply.getException());
        }
        return reply.getLogIndex();
    }

    @Override
    public MetadataImage image() {
        return stateMachine.image();
    }

    @Override
    public LeaderAndEpoch leader() {
        return stateMachine.leader();
    }

    @Override
    public int nodeId() {
        return config.nodeId();
    }

    public QuorumConfig config() {
        return config;
    }

    @Override
    public QuorumState quorum() {
        try {
            var division = server.getDivision(group.getGroupId());
            var info = division.getInfo();
            LeaderAndEpoch leader = new LeaderAndEpoch(Ratis.nodeId(info.getLeaderId()), (int) info.getCurrentTerm());
            Map<Integer, Long> commitIndexes = new HashMap<>();
            for (CommitInfoProto commit : division.getCommitInfos()) {
                commitIndexes.put(Integer.parseInt(commit.getServer().getId().toStringUtf8()), commit.getCommitIndex());
            }
            Map<Integer, Long> lastContact = new HashMap<>();
            long now = System.currentTimeMillis();
            RoleInfoProto role = info.getRoleInfoProto();
            if (info.isLeader() && role.hasLeaderInfo()) {
                for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
                    lastContact.put(
                            Integer.parseInt(follower.getId().getId().toStringUtf8()),
                            now - follower.getLastRpcElapsedTimeMs());
                }
            }
            long end = division.getRaftLog().getNextIndex();
            long highWatermark = division.getRaftLog().getLastCommittedIndex() + 1;
            List<VoterState> voters = new ArrayList<>();
            for (QuorumConfig.Voter voter : config.voters()) {
                boolean self = voter.nodeId() == config.nodeId();
                long voterEnd = self ? end : commitIndexes.getOrDefault(voter.nodeId(), -2L) + 1;
                long contact = self ? now : lastContact.getOrDefault(voter.nodeId(), -1L);
                voters.add(new VoterState(voter.nodeId(), info.isLeader() || self ? voterEnd : -1, contact, contact));
            }
            return new QuorumState(leader, highWatermark, voters);
        } catch (IOException e) {
            return new QuorumState(LeaderAndEpoch.NONE, -1, List.of());
        }
    }

    @Override
    public void close() throws IOException {
        snapshots.shutdownNow();
        server.close();
    }
}
