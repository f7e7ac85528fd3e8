package io.wharf.storage.producer;

import io.wharf.common.io.AtomicFiles;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.storage.LogError;
import io.wharf.storage.LogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent-producer state of one partition: per producer id, its epoch and last five batches. It answers the
 * three questions a produce asks (is this batch a duplicate, is its epoch stale, is its sequence the next one) and is
 * snapshotted to disk so it survives restarts; whatever the snapshot misses is replayed from the log's batch headers.
 *
 * <p>It also tracks each producer's ongoing transaction: the offset of its first transactional record since its last
 * marker. The smallest of those is the first unstable offset, which bounds the last stable offset (LSO) that
 * read_committed consumers read up to. A marker ({@link #apply} with a control type) ends the transaction.
 *
 * <pre>
 * NNNNNNNNNNNNNNNNNNNN.snapshot   the state after every batch below offset N
 *   int16  version (2; version 1 has no transaction field and is still read)
 *   int32  CRC32C of everything after this field
 *   int32  producer count
 *   per producer:
 *     int64 producerId, int16 epoch, int64 lastTimestamp,
 *     int64 transactionFirstOffset (-1: none; version 2 only), int32 batch count (at most 5)
 *     per batch: int32 firstSeq, int32 lastSeq, int64 firstOffset, int64 lastOffset, int64 timestamp
 * </pre>
 *
 * <p>Threads: mutated only under the partition's append lock; reads of single entries may come from any thread.
 */
public final class ProducerStateManager {

    /** How many recent batches per producer are remembered for duplicate detection (a producer's in-flight limit). */
    public static final int RETAINED_BATCHES = 5;

    public static final String SNAPSHOT_SUFFIX = ".snapshot";

    private static final Logger log = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final short SNAPSHOT_VERSION = 2;
    private static final short SNAPSHOT_VERSION_WITHOUT_TRANSACTIONS = 1;
    private static final int RETAINED_SNAPSHOTS = 2;

    private final Path dir;
    private final Map<Long, ProducerEntry> producers = new ConcurrentHashMap<>();
    /**
     * Per producer, the token of its transaction's verification with the coordinator (KIP-890): taken before a
     * transactional produce asks the coordinator, required at its append, and dropped by the producer's next marker,
     * so that a produce verified before a marker cannot be appended after it. Soft: lost on restart, when producers
     * verify again.
     */
    private final Map<Long, Object> verificationGuards = new ConcurrentHashMap<>();
    /** Ongoing transactions: first offset → producer id. Read by any thread for the LSO. */
    private final ConcurrentSkipListMap<Long, Long> ongoing = new ConcurrentSkipListMap<>();

    public ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks a producer's batch before it is appended.
     *
     * @return the earlier append of the same batch when this one is a retry, else empty
     * @throws LogException INVALID_PRODUCER_EPOCH for an epoch older than the producer's, OUT_OF_ORDER_SEQUENCE_NUMBER
     *     for a sequence that is not the next one
     */
    public Optional<BatchMetadata> checkAppend(long producerId, short epoch, int firstSeq, int lastSeq) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            // Unknown producer: its earlier records may have been deleted by retention, so any sequence starts it.
            return Optional.empty();
        }
        if (epoch < entry.epoch()) {
            throw new LogException(
                    LogError.INVALID_PRODUCER_EPOCH,
                    "Producer " + producerId + " has epoch " + epoch + ", older than the current epoch "
                            + entry.epoch());
        }
        if (epoch > entry.epoch()) {
            if (firstSeq != 0) {
                throw new LogException(
                        LogError.OUT_OF_ORDER_SEQUENCE_NUMBER,
                        "Producer " + producerId + " starts epoch " + epoch + " at sequence " + firstSeq
                                + "; a new epoch starts at 0");
            }
            return Optional.empty();
        }
        if (entry.expectsFirstSequence() && firstSeq != 0) {
            throw new LogException(
                    LogError.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    "Producer " + producerId + " starts epoch " + epoch
                            + ", begun by a transaction marker, at sequence " + firstSeq + "; a new epoch starts at 0");
        }
        BatchMetadata duplicate = entry.find(firstSeq, lastSeq);
        if (duplicate != null) {
            return Optional.of(duplicate);
        }
        int last = entry.lastSequence();
        if (last >= 0 && !isNext(last, firstSeq)) {
            throw new LogException(
                    LogError.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    "Producer " + producerId + " sent sequence " + firstSeq + " after " + last + " (epoch " + epoch
                            + ")");
        }
        return Optional.empty();
    }

    /**
     * Checks a transaction marker before it is appended: a marker of an older epoch than the producer's comes from a
     * coordinator that was fenced, or is a late retry.
     *
     * @throws LogException INVALID_PRODUCER_EPOCH for an epoch older than the producer's
     */
    public void checkMarker(long producerId, short epoch) {
        ProducerEntry entry = producers.get(producerId);
        if (entry != null && epoch < entry.epoch()) {
            throw new LogException(
                    LogError.INVALID_PRODUCER_EPOCH,
                    "Marker for producer " + producerId + " has epoch " + epoch + ", older than the current epoch "
                            + entry.epoch());
        }
    }

    /**
     * Applies an appended (or replayed) batch: a data batch of a producer is one of its last batches and may start a
     * transaction; a marker ends the producer's transaction. Appender only.
     *
     * @param batch a view of at least the batch's header
     * @param controlType the marker type of a control batch ({@link io.wharf.protocol.record.ControlBatches}), else
     *     {@link io.wharf.protocol.record.ControlBatches#NOT_A_MARKER}
     * @return the transaction the batch ended, if it was a marker that ended one
     */
    public Optional<CompletedTransaction> apply(BatchView batch, int controlType) {
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        long producerId = batch.producerId();
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(id, batch.producerEpoch()));
        if (batch.isControl()) {
            verificationGuards.remove(producerId);
            entry.observeEpoch(batch.producerEpoch(), batch.maxTimestamp());
            if (controlType == ControlBatches.NOT_A_MARKER) {
                return Optional.empty();
            }
            long first = entry.transactionFirstOffset();
            entry.transactionFirstOffset(-1);
            if (first < 0) {
                return Optional.empty();
            }
            ongoing.remove(first);
            return Optional.of(new CompletedTransaction(
                    producerId, first, batch.baseOffset(), controlType == ControlBatches.ABORT));
        }
        entry.add(
                batch.producerEpoch(),
                new BatchMetadata(
                        batch.baseSequence(),
                        batch.lastSequence(),
                        batch.baseOffset(),
                        batch.lastOffset(),
                        batch.maxTimestamp()));
        if (batch.isTransactional() && entry.transactionFirstOffset() < 0) {
            entry.transactionFirstOffset(batch.baseOffset());
            ongoing.put(batch.baseOffset(), producerId);
        }
        return Optional.empty();
    }

    /** The verification token of the producer's current transaction here, made when there is none. Any thread. */
    public Object verificationGuard(long producerId) {
        return verificationGuards.computeIfAbsent(producerId, id -> new Object());
    }

    /**
     * The verification token of a transaction the producer has open here at {@code epoch}, verified and with no marker
     * since, or null: its further batches need not be verified again, only carry this token. Any thread.
     */
    public Object verifiedGuard(long producerId, short epoch) {
        Object guard = verificationGuards.get(producerId);
        ProducerEntry entry = producers.get(producerId);
        boolean open = entry != null && entry.epoch() == epoch && entry.transactionFirstOffset() >= 0;
        return open ? guard : null;
    }

    /**
     * Checks, at append, that the producer's verification still stands.
     *
     * @param guard the token taken before verifying, or null when the append was not verified
     * @throws LogException INVALID_TXN_STATE when a marker came between the verification and the append
     */
    public void checkVerification(long producerId, Object guard) {
        if (guard != null && verificationGuards.get(producerId) != guard) {
            throw new LogException(
                    LogError.INVALID_TXN_STATE,
                    "The transaction of producer " + producerId + " ended after this produce was verified");
        }
    }

    /** The first offset of the oldest ongoing transaction, or {@link Long#MAX_VALUE} when none is ongoing. */
    public long firstUnstableOffset() {
        Map.Entry<Long, Long> first = ongoing.firstEntry();
        return first == null ? Long.MAX_VALUE : first.getKey();
    }

    private static boolean isNext(int last, int next) {
        return next == last + 1 || (next == 0 && last == Integer.MAX_VALUE);
    }

    /** Records an appended batch. Appender only. */
    public void update(long producerId, short epoch, BatchMetadata batch) {
        producers
                .computeIfAbsent(producerId, id -> new ProducerEntry(id, epoch))
                .add(epoch, batch);
    }

    public Optional<ProducerEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    public Collection<ProducerEntry> entries() {
        return Collections.unmodifiableCollection(producers.values());
    }

    /** Forgets producers that have not written since {@code nowMs - expirationMs}. Appender only. */
    public int removeExpired(long nowMs, long expirationMs) {
        int before = producers.size();
        // A producer in a transaction is kept: its first offset holds the LSO back until its marker comes.
        producers
                .values()
                .removeIf(entry -> entry.transactionFirstOffset() < 0 && nowMs - entry.lastTimestamp() > expirationMs);
        return before - producers.size();
    }

    public void clear() {
        producers.clear();
        ongoing.clear();
        verificationGuards.clear();
    }

    /** Writes the current state as the snapshot at {@code offset}, durably, and drops all but the newest two. */
    public void takeSnapshot(long offset) throws IOException {
        AtomicFiles.write(snapshotFile(offset), encode());
        List<Long> offsets = snapshotOffsets();
        for (int i = 0; i < offsets.size() - RETAINED_SNAPSHOTS; i++) {
            Files.deleteIfExists(snapshotFile(offsets.get(i)));
        }
    }

    /**
     * Replaces the state with the newest readable snapshot at or below {@code maxOffset}, deleting snapshots above it
     * and unreadable ones.
     *
     * @return the loaded snapshot's offset, or -1 when there was none (the state is then empty)
     */
    public long loadLatestSnapshot(long maxOffset) throws IOException {
        clear();
        List<Long> offsets = snapshotOffsets();
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            Path file = snapshotFile(offset);
            if (offset > maxOffset) {
                Files.deleteIfExists(file);
                continue;
            }
            try {
                decode(ByteBuffer.wrap(Files.readAllBytes(file)));
                return offset;
            } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
                log.warn("Deleting unreadable producer snapshot {}: {}", file, e.getMessage());
                clear();
                Files.deleteIfExists(file);
            }
        }
        return -1;
    }

    /** Deletes snapshots below {@code offset}, which the log no longer holds. */
    public void deleteSnapshotsBelow(long offset) throws IOException {
        for (long snapshot : snapshotOffsets()) {
            if (snapshot < offset) {
                Files.deleteIfExists(snapshotFile(snapshot));
            }
        }
    }

    /** The offsets of the snapshot files present, ascending. */
    public List<Long> snapshotOffsets() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(SNAPSHOT_SUFFIX) && name.length() == 20 + SNAPSHOT_SUFFIX.length())
                    .forEach(name -> offsets.add(Long.parseLong(name.substring(0, 20))));
        }
        Collections.sort(offsets);
        return offsets;
    }

    private Path snapshotFile(long offset) {
        return dir.resolve(String.format("%020d%s", offset, SNAPSHOT_SUFFIX));
    }

    private byte[] encode() {
        int size = 2 + 4 + 4;
        for (ProducerEntry entry : producers.values()) {
            size += 8 + 2 + 8 + 8 + 4 + entry.batches().size() * (4 + 4 + 8 + 8 + 8);
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(SNAPSHOT_VERSION).putInt(0).putInt(producers.size());
        for (ProducerEntry entry : producers.values()) {
            List<BatchMetadata> batches = entry.batches();
            buffer.putLong(entry.producerId())
                    .putShort(entry.epoch())
                    .putLong(entry.lastTimestamp())
                    .putLong(entry.transactionFirstOffset())
                    .putInt(batches.size());
            for (BatchMetadata batch : batches) {
                buffer.putInt(batch.firstSeq())
                        .putInt(batch.lastSeq())
                        .putLong(batch.firstOffset())
                        .putLong(batch.lastOffset())
                        .putLong(batch.timestamp());
            }
        }
        buffer.putInt(2, (int) crcFrom(buffer.array(), 6));
        return buffer.array();
    }

    private void decode(ByteBuffer buffer) {
        short version = buffer.getShort();
        if (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_WITHOUT_TRANSACTIONS) {
            throw new IllegalArgumentException("unknown snapshot version " + version);
        }
        long storedCrc = Integer.toUnsignedLong(buffer.getInt());
        if (storedCrc != crcFrom(buffer.array(), 6)) {
            throw new IllegalArgumentException("CRC mismatch");
        }
        int count = buffer.getInt();
        for (int i = 0; i < count; i++) {
            long producerId = buffer.getLong();
            short epoch = buffer.getShort();
            long lastTimestamp = buffer.getLong();
            long transactionFirstOffset = version == SNAPSHOT_VERSION ? buffer.getLong() : -1;
            int batchCount = buffer.getInt();
            if (batchCount < 0 || batchCount > RETAINED_BATCHES) {
                throw new IllegalArgumentException("invalid batch count " + batchCount);
            }
            List<BatchMetadata> batches = new ArrayList<>(batchCount);
            for (int b = 0; b < batchCount; b++) {
                batches.add(new BatchMetadata(
                        buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(), buffer.getLong()));
            }
            ProducerEntry entry = new ProducerEntry(producerId, epoch);
            entry.restore(lastTimestamp, batches);
            entry.transactionFirstOffset(transactionFirstOffset);
            producers.put(producerId, entry);
            if (transactionFirstOffset >= 0) {
                ongoing.put(transactionFirstOffset, producerId);
            }
        }
    }

    private static long crcFrom(byte[] bytes, int from) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, bytes.length - from);
        return crc.getValue();
    }
}
