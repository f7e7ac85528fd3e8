package io.wharf.metadata.raft;

import io.wharf.metadata.MetadataBatches;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.MetadataSnapshotFile;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.MetadataRecord;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the metadata log: committed entries are applied to the metadata image, and the image is
 * what a snapshot holds.
 *
 * <pre>
 * entry:    int32 epoch the controller computed the batch in, then the batch (records)
 * snapshot: the image, in sm/snapshot.&lt;term&gt;_&lt;index&gt; ({@link MetadataSnapshotFile}), with its MD5
 * </pre>
 *
 * <p>An entry is applied only if it was appended in the epoch (Raft term) its controller computed it in. A controller
 * that lost its leadership between computing a batch and appending it would otherwise have the batch appended by the
 * next leader, computed against an image that may no longer be the log's; such a batch is skipped on every node
 * alike.
 *
 * <p>Threads: Ratis applies entries, takes snapshots and reports leadership on its state machine updater thread, one
 * at a time; queries arrive on its RPC threads.
 */
final class MetadataStateMachine extends BaseStateMachine {

    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final int nodeId;
    private final long snapshotBytes;
    private final Runnable snapshotWanted;
    private volatile MetadataLog.Listener listener;
    private volatile Function<ByteBuffer, CompletableFuture<byte[]>> queryHandler =
            request -> CompletableFuture.failedFuture(new IllegalStateException("this node serves no queries"));
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private volatile MetadataLog.LeaderAndEpoch leader = MetadataLog.LeaderAndEpoch.NONE;
    private long bytesSinceSnapshot;

    /**
     * @param snapshotWanted asked (on the updater thread; it must not block) when {@code snapshotBytes} of entries have
     *     been applied since the last snapshot
     */
    MetadataStateMachine(int nodeId, long snapshotBytes, Runnable snapshotWanted) {
        this.nodeId = nodeId;
        this.snapshotBytes = snapshotBytes;
        this.snapshotWanted = snapshotWanted;
    }

    void setListener(MetadataLog.Listener listener) {
        this.listener = listener;
    }

    void setQueryHandler(Function<ByteBuffer, CompletableFuture<byte[]>> handler) {
        this.queryHandler = handler;
    }

    MetadataImage image() {
        return image;
    }

    MetadataLog.LeaderAndEpoch leader() {
        return leader;
    }

    static ByteString entry(int epoch, byte[] batch) {
        ByteBuffer bytes = ByteBuffer.allocate(4 + batch.length);
        bytes.putInt(epoch).put(batch);
        return UnsafeByteOperations.unsafeWrap(bytes.array());
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        load(storage.loadLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        if (!Files.exists(file)) {
            log.warn("The metadata snapshot {} is missing", file);
            return;
        }
        if (snapshot.getFile().getFileDigest() != null) {
            MD5FileUtil.verifySavedMD5(file.toFile(), snapshot.getFile().getFileDigest());
        }
        MetadataImage loaded = MetadataSnapshotFile.read(file);
        TermIndex last = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file.toFile());
        MetadataImage previous = image;
        image = loaded;
        bytesSinceSnapshot = 0;
        updateLastAppliedTermIndex(last.getTerm(), last.getIndex());
        log.info("Loaded the metadata snapshot at {}: {}", last, loaded);
        MetadataLog.Listener current = listener;
        if (current != null) {
            current.onImage(previous, loaded);
        }
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        ByteBuffer bytes = data.asReadOnlyByteBuffer();
        long index = entry.getIndex();
        long applied = index;
        try {
            int epoch = bytes.getInt();
            if (epoch != entry.getTerm()) {
                applied = -1;
                log.info(
                        "Skipping the metadata batch at {}: computed in epoch {}, appended in {}",
                        index,
                        epoch,
                        entry.getTerm());
            } else {
                List<MetadataRecord> records = MetadataBatches.read(bytes);
                MetadataImage previous = image;
                image = previous.apply(records, index);
                MetadataLog.Listener current = listener;
                if (current != null) {
                    current.onImage(previous, image);
                }
                bytesSinceSnapshot += data.size();
            }
        } catch (RuntimeException e) {
            // A batch every node has committed but none can apply: no image can be trusted past it.
            log.error("Cannot apply the metadata batch at index {}", index, e);
            updateLastAppliedTermIndex(entry.getTerm(), index);
            return CompletableFuture.failedFuture(e);
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        if (bytesSinceSnapshot >= snapshotBytes) {
            bytesSinceSnapshot = 0;
            snapshotWanted.run();
        }
        return CompletableFuture.completedFuture(
                Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(0, index))));
    }

    @Override
    public long takeSnapshot() throws IOException {
        MetadataImage current = image;
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        MetadataSnapshotFile.write(file.toPath(), current);
        var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        log.info("Metadata snapshot at {}: {}", last, current);
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return queryHandler
                .apply(request.getContent().asReadOnlyByteBuffer())
                .thenApply(reply -> Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    @Override
    public void notifyLeaderReady() {
        // Called on the updater thread once the leader's first entry of its term is applied: the image holds every
        // committed batch of earlier terms.
        try {
            long term = getServer().join().getDivision(getGroupId()).getInfo().getCurrentTerm();
            announce(new MetadataLog.LeaderAndEpoch(nodeId, (int) term));
        } catch (IOException e) {
            log.error("Cannot read the term this node leads in", e);
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId memberId, RaftPeerId newLeaderId) {
        int leaderId = Ratis.nodeId(newLeaderId);
        if (leaderId == nodeId) {
            return; // announced by notifyLeaderReady, once the image is complete
        }
        long term = -1;
        try {
            term = getServer().join().getDivision(getGroupId()).getInfo().getCurrentTerm();
        } catch (IOException e) {
            log.debug("No term yet", e);
        }
        announce(new MetadataLog.LeaderAndEpoch(leaderId, (int) term));
    }

    @Override
    public void notifyNotLeader(java.util.Collection<TransactionContext> pendingEntries) {
        if (leader.leaderId() == nodeId) {
            announce(new MetadataLog.LeaderAndEpoch(-1, leader.epoch()));
        }
    }

    private synchronized void announce(MetadataLog.LeaderAndEpoch next) {
        if (next.equals(leader)) {
            return;
        }
        leader = next;
        MetadataLog.Listener current = listener;
        if (current != null) {
            current.onLeader(next);
        }
    }
}
