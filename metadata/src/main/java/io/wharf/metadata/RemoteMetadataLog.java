package io.wharf.metadata;

import io.wharf.common.io.Bytes;
import io.wharf.metadata.controller.ControllerProtocol;
import io.wharf.metadata.controller.ControllerTransport;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.MetadataRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata of a broker that is not a controller ({@code process.roles=broker}): it keeps no log, but follows the
 * quorum's leader, asking for its image whenever it has moved past the one this broker has (the controller holds the
 * question until it has or a second has passed). The images only ever move forward. Such a broker never leads the
 * log: {@link #append} always fails.
 *
 * <p>Threads: a thread of its own polls and calls the listener.
 */
public final class RemoteMetadataLog implements MetadataLog {

    private static final Logger log = LoggerFactory.getLogger(RemoteMetadataLog.class);
    private static final int WAIT_MS = 1_000;
    private static final long BACKOFF_MS = 200;

    private final int nodeId;
    private final ControllerTransport transport;
    private final Thread thread;
    private volatile Listener listener;
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private volatile LeaderAndEpoch leader = LeaderAndEpoch.NONE;
    private volatile boolean running = true;

    public RemoteMetadataLog(int nodeId, ControllerTransport transport) {
        this.nodeId = nodeId;
        this.transport = transport;
        this.thread = new Thread(this::follow, "wharf-metadata-follower");
        this.thread.setDaemon(true);
    }

    @Override
    public void start(Listener newListener) {
        this.listener = newListener;
        thread.start();
    }

    private void follow() {
        while (running) {
            try {
                byte[] reply = transport
                        .send(ControllerProtocol.fetchImage(image.offset(), WAIT_MS), -1)
                        .get(WAIT_MS + 30_000L, TimeUnit.MILLISECONDS);
                apply(reply);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.debug("Fetching the metadata image failed", e);
                try {
                    Thread.sleep(BACKOFF_MS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void apply(byte[] reply) {
        Bytes.Reader in = new Bytes.Reader(ByteBuffer.wrap(reply));
        if (in.int8() != 0) {
            return;
        }
        long offset = in.int64();
        LeaderAndEpoch now = new LeaderAndEpoch(in.int32(), in.int32());
        if (in.int8() == 1 && offset > image.offset()) {
            List<MetadataRecord> records = MetadataBatches.read(ByteBuffer.wrap(in.bytes()));
            MetadataImage previous = image;
            image = MetadataImage.EMPTY.apply(records, offset);
            listener.onImage(previous, image);
        }
        if (!now.equals(leader)) {
            leader = now;
            listener.onLeader(now);
        }
    }

    @Override
    public CompletableFuture<Long> append(int epoch, List<MetadataRecord> records) {
        return CompletableFuture.failedFuture(
                new NotLeaderException("node " + nodeId + " is not a controller", leader.leaderId()));
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public LeaderAndEpoch leader() {
        return leader;
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public QuorumState quorum() {
        return new QuorumState(leader, -1, List.of());
    }

    @Override
    public void close() throws IOException {
        running = false;
        thread.interrupt();
    }
}
