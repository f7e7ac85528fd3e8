package io.wharf.server.share;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.share.ShareLog;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.InvalidBatchException;
import io.wharf.protocol.record.RecordScan;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.config.TopicConfigs;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.storage.LogException;
import io.wharf.storage.LogSlice;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.TimestampOffset;
import io.wharf.storage.segment.AbortedTransaction;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share-partition leaders' view of the partition logs this broker leads: bounds up to the high watermark and the
 * leader epoch, and scans that walk record batches in place to report each record's queue attributes ({@link QueueHeaders}, and the topic's
 * {@code wharf.delivery.delay.ms}). Keys and values are skipped, not copied, for uncompressed batches.
 *
 * <p>Thread-safe; called from share-partition leaders' threads.
 */
public final class PartitionShareLog implements ShareLog {

    private static final Logger log = LoggerFactory.getLogger(PartitionShareLog.class);
    private static final int READ_CHUNK_BYTES = 1 << 20;

    private final ReplicaManager replicas;
    private final int nodeId;

    public PartitionShareLog(ReplicaManager replicas, int nodeId) {
        this.replicas = replicas;
        this.nodeId = nodeId;
    }

    private Optional<PartitionReplica> partition(TopicId topic, int index) {
        return replicas.image()
                .topic(topic)
                .flatMap(t -> replicas.partition(new TopicPartition(t.name(), index)))
                .filter(p -> p.isLeader());
    }

    @Override
    public Optional<Bounds> bounds(TopicId topic, int index, boolean readCommitted) {
        return partition(topic, index)
                .map(p -> new Bounds(
                        p.topicPartition().topic(),
                        p.log().logStartOffset(),
                        readCommitted ? p.lastStableOffset() : p.highWatermark(),
                        p.leaderEpoch(),
                        readCommitted));
    }

    @Override
    public long offsetForTimestamp(TopicId topic, int index, long timestampMs) {
        return partition(topic, index)
                .flatMap(p -> p.log().offsetForTimestamp(timestampMs))
                .map(TimestampOffset::offset)
                .orElse(-1L);
    }

    @Override
    public void scan(TopicId topic, int index, long from, long to, boolean readCommitted, Visitor visitor) {
        Optional<PartitionReplica> hosted = partition(topic, index);
        if (hosted.isEmpty()) {
            return;
        }
        PartitionReplica partition = hosted.get();
        long topicDelayMs = replicas.image()
                .topic(topic)
                .map(TopicImage::name)
                .map(name -> Long.parseLong(replicas.configs()
                        .topic(name, TopicConfigs.DELIVERY_DELAY_MS)
                        .value()))
                .orElse(0L);
        PartitionLog partitionLog = partition.log();
        long offset = Math.max(from, partitionLog.logStartOffset());
        try {
            while (offset < to) {
                LogSlice slice = partitionLog.read(offset, READ_CHUNK_BYTES, partition.highWatermark(), true);
                if (slice.isEmpty()) {
                    return;
                }
                Aborted aborted = readCommitted
                        ? new Aborted(partitionLog.abortedTransactions(offset, Math.min(to, partition.highWatermark())))
                        : Aborted.NONE;
                long next = visitBatches(slice.readFully(), to, topicDelayMs, aborted, visitor);
                if (next <= offset) {
                    return;
                }
                offset = next;
            }
        } catch (LogException | InvalidBatchException e) {
            log.warn("{}-{}: share scan stopped at offset {}: {}", topic, index, offset, e.getMessage());
        }
    }

    /** Visits the batches of {@code bytes}; returns the offset after the last one visited, or -1 to stop. */
    private static long visitBatches(ByteBuffer bytes, long to, long topicDelayMs, Aborted aborted, Visitor visitor) {
        BatchView batch = new BatchView();
        QueueHeaders headers = new QueueHeaders();
        int position = 0;
        long next = -1;
        while (position + BatchView.HEADER_SIZE <= bytes.limit()) {
            batch.wrap(bytes, position);
            if (position + batch.sizeInBytes() > bytes.limit()) {
                break;
            }
            boolean undeliverable = batch.isControl() || aborted.holds(batch);
            boolean more = visitor.batch(batch.baseOffset(), batch.lastOffset(), batch.sizeInBytes(), undeliverable);
            if (!undeliverable) {
                long base = batch.baseOffset();
                RecordScan.forEachRecord(batch, new RecordScan.RecordVisitor() {
                    @Override
                    public boolean wantsHeaders() {
                        return true;
                    }

                    @Override
                    public void header(ByteBuffer key, ByteBuffer value) {
                        headers.header(key, value);
                    }

                    @Override
                    public boolean visit(int offsetDelta, long timestamp, int keyLength) {
                        long delay = headers.delayMs() >= 0 ? headers.delayMs() : topicDelayMs;
                        visitor.record(
                                base + offsetDelta,
                                delay > 0 ? timestamp + delay : -1,
                                headers.ttlMs() >= 0 ? timestamp + headers.ttlMs() : -1,
                                headers.priority());
                        headers.reset();
                        return true;
                    }
                });
            }
            next = batch.lastOffset() + 1;
            position += batch.sizeInBytes();
            if (!more || next >= to) {
                return -1;
            }
        }
        return next;
    }

    /** The aborted transactions a scan's range holds: which of its batches a read_committed group never gets. */
    private record Aborted(List<AbortedTransaction> transactions) {
        static final Aborted NONE = new Aborted(List.of());

        /** Whether {@code batch} is a transactional batch of one of these transactions (before its ABORT marker). */
        boolean holds(BatchView batch) {
            if (!batch.isTransactional()) {
                return false;
            }
            for (AbortedTransaction t : transactions) {
                if (t.producerId() == batch.producerId()
                        && batch.baseOffset() >= t.firstOffset()
                        && batch.lastOffset() < t.lastOffset()) {
                    return true;
                }
            }
            return false;
        }
    }
}
