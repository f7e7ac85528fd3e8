package io.wharf.storage.segment;

import io.wharf.common.Invariants;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.RecordScan;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogSlice;
import io.wharf.storage.TimestampOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * One segment of a partition log: the record batches from {@link #baseOffset()} up to the next segment's base
 * offset, and the two indexes that find them.
 *
 * <pre>
 * partition directory
 *   00000000000000000000.log        record batches exactly as produced, offsets patched in; append only
 *   00000000000000000000.index      offset → file position, an entry every index.interval.bytes ({@link OffsetIndex})
 *   00000000000000000000.timeindex  timestamp → offset ({@link TimeIndex})
 *   00000000000000052341.log        the next segment, named by its base offset (20 digits)
 *   …
 * </pre>
 *
 * <p><b>Zeroed tail.</b> An fsync after an append must also persist the file's new length and any newly allocated
 * blocks, which costs the file system extra writes on every sync. So the active segment of a log that is fsynced
 * often keeps a tail of zeros ahead of its appends, written and fsynced in the background ({@link
 * #maybeExtendTail}); an append into that tail overwrites allocated blocks and its fsync writes only the data. Readers
 * never see the tail, which lies past {@link #size()}. The tail is cut off when the segment stops being active, and
 * forced before the next segment exists, so only the last segment of a log can ever end in zeros; recovery after a
 * crash cuts them there as it would any zero-filled tail.
 *
 * <p>Threads: one appender at a time (the partition's append lock) calls the mutating methods; any thread may read.
 * Readers see only bytes below {@link #size()}, which the appender publishes (volatile) after the bytes and their
 * index entries are written. The tail extension runs on another thread; {@code tailLock} keeps it and appends past
 * the zeroed part apart.
 */
public final class LogSegment {

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String DELETED_SUFFIX = ".deleted";
    /** Added to the names of a segment the cleaner is writing, until the swap renames it into place. */
    public static final String CLEANED_SUFFIX = ".cleaned";

    private static final int CRC_CHUNK_BYTES = 64 * 1024;
    private static final ByteBuffer ZEROS =
            ByteBuffer.allocateDirect(256 * 1024).asReadOnlyBuffer();

    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private volatile Path logFile;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = BatchView.NO_TIMESTAMP;
    private volatile boolean dirty;
    private long batchOffsetOfMaxTimestamp;
    private int bytesSinceLastIndexEntry;
    private long rollStartMs = -1;

    private final Object tailLock = new Object();
    /** The file's length: {@link #size} plus the zeroed tail. Guarded by tailLock. */
    private long fileEnd;
    /** Bytes from {@link #size} up to this are zeros that are on disk. */
    private volatile long zeroedEnd;
    /** Whether an extension of the tail is queued or running. Guarded by tailLock. */
    private boolean extending;
    /** Set when the segment stops being active: its tail is never extended again. Guarded by tailLock. */
    private boolean sealed;

    private LogSegment(
            Path logFile,
            long baseOffset,
            FileChannel channel,
            OffsetIndex offsetIndex,
            TimeIndex timeIndex,
            TransactionIndex txnIndex,
            int indexIntervalBytes) {
        this.logFile = logFile;
        this.baseOffset = baseOffset;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.nextOffset = baseOffset;
        this.batchOffsetOfMaxTimestamp = baseOffset;
    }

    /** The file name of a segment's file: the base offset in 20 digits and the suffix. */
    public static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    /** Creates the files of a new, empty, active segment. */
    public static LogSegment create(Path dir, long baseOffset, LogConfig config) throws IOException {
        Path log = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, INDEX_SUFFIX)));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, TransactionIndex.SUFFIX)));
        FileChannel channel =
                FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return withIndexes(dir, log, baseOffset, channel, config, true, "");
    }

    /**
     * Creates the files of a segment the cleaner writes, named with {@link #CLEANED_SUFFIX} (replacing any left by an
     * earlier attempt), to be renamed into place by {@link #renameCleanedIntoPlace}.
     */
    public static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config) throws IOException {
        Path log = dir.resolve(fileName(baseOffset, LOG_SUFFIX + CLEANED_SUFFIX));
        Files.deleteIfExists(log);
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, INDEX_SUFFIX + CLEANED_SUFFIX)));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX + CLEANED_SUFFIX)));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, TransactionIndex.SUFFIX + CLEANED_SUFFIX)));
        FileChannel channel =
                FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return withIndexes(dir, log, baseOffset, channel, config, true, CLEANED_SUFFIX);
    }

    /**
     * Renames a cleaned segment's files to their final names, replacing what has them: the indexes first, the log
     * last, so that while a {@code .log.cleaned} file exists its indexes are never in place without it. {@code
     * afterIndexes} runs between the two (a test's crash point). The channel stays open.
     */
    public void renameCleanedIntoPlace(Runnable afterIndexes) throws IOException {
        for (MappedIndex index : new MappedIndex[] {offsetIndex, timeIndex}) {
            String name = index.file().getFileName().toString();
            index.renameTo(index.file().resolveSibling(name.substring(0, name.length() - CLEANED_SUFFIX.length())));
        }
        txnIndex.renameTo(txnIndex.file().resolveSibling(fileName(baseOffset, TransactionIndex.SUFFIX)));
        afterIndexes.run();
        Path target = logFile.resolveSibling(fileName(baseOffset, LOG_SUFFIX));
        Files.move(logFile, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        logFile = target;
    }

    /** Whether the offset index has room for {@code entries} more entries. */
    public boolean indexHasRoomFor(int entries) {
        return offsetIndex.entries() + entries <= offsetIndex.capacity();
    }

    /** How many entries the offset index holds. */
    public int indexEntries() {
        return offsetIndex.entries();
    }

    /**
     * Opens an existing segment's files. Nothing is checked yet: the caller follows with {@link #loadTrusted()} or
     * {@link #recover()}.
     */
    public static LogSegment open(Path dir, long baseOffset, LogConfig config, boolean active) throws IOException {
        Path log = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        LogSegment segment = withIndexes(dir, log, baseOffset, channel, config, active, "");
        segment.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
        segment.fileEnd = channel.size();
        segment.zeroedEnd = segment.size;
        return segment;
    }

    private static LogSegment withIndexes(
            Path dir,
            Path log,
            long baseOffset,
            FileChannel channel,
            LogConfig config,
            boolean writable,
            String nameSuffix)
            throws IOException {
        try {
            OffsetIndex offsets = new OffsetIndex(
                    dir.resolve(fileName(baseOffset, INDEX_SUFFIX + nameSuffix)),
                    baseOffset,
                    config.segmentIndexBytes(),
                    writable);
            TimeIndex times = new TimeIndex(
                    dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX + nameSuffix)),
                    baseOffset,
                    config.segmentIndexBytes(),
                    writable);
            TransactionIndex aborted =
                    new TransactionIndex(dir.resolve(fileName(baseOffset, TransactionIndex.SUFFIX + nameSuffix)));
            return new LogSegment(log, baseOffset, channel, offsets, times, aborted, config.indexIntervalBytes());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Bytes of whole batches readers may see. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The offset after the last batch in this segment; the base offset when it is empty. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The largest record timestamp in the segment, or -1 when no record has one. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /**
     * The time retention goes by: the newest record's timestamp, or the file's modification time when no record
     * carries one.
     */
    public long largestTimestamp() throws IOException {
        long max = maxTimestamp;
        return max >= 0 ? max : Files.getLastModifiedTime(logFile).toMillis();
    }

    public Path logFile() {
        return logFile;
    }

    public FileChannel channel() {
        return channel;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /**
     * Whether an append of {@code bytes} ending at {@code lastOffset} must go to a new segment: this one is not empty
     * and would grow past {@code segment.bytes}, is older than {@code segment.ms} (or, compacted, than {@code
     * max.compaction.lag.ms}, so the cleaner can reach its records), has a full index, or could not express the offset
     * relative to its base.
     */
    public boolean shouldRoll(int bytes, long lastOffset, long nowMs, LogConfig config) {
        if (size == 0) {
            return false;
        }
        return (long) size + bytes > config.segmentBytes()
                || (rollStartMs >= 0 && nowMs - rollStartMs >= config.segmentMs())
                || (config.compact() && rollStartMs >= 0 && nowMs - rollStartMs >= config.maxCompactionLagMs())
                || offsetIndex.isFull()
                || timeIndex.isFullForAppends()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /**
     * Appends batches whose offsets are already assigned. Appender thread only.
     *
     * @param records the batches; read from position to limit, which is left unchanged
     * @param firstOffset the base offset of the first batch
     * @param lastOffset the last offset of the last batch
     * @param appendMaxTimestamp the largest timestamp among the batches
     * @param batchOffsetOfMax the base offset of the batch that has it
     */
    public void append(
            ByteBuffer records,
            long firstOffset,
            long lastOffset,
            long appendMaxTimestamp,
            long batchOffsetOfMax,
            long nowMs)
            throws IOException {
        Invariants.check(firstOffset >= nextOffset, "append at %d below segment end %d", firstOffset, nextOffset);
        write(records);
        publish(records.remaining(), firstOffset, lastOffset, appendMaxTimestamp, batchOffsetOfMax, nowMs);
    }

    /**
     * Writes batches after the last published one without publishing them: readers do not see them until {@link
     * #publish}, and {@link #discardUnpublished} takes them back (after a write that failed, or a journal that
     * refused the entry). Appender thread only.
     */
    public void write(ByteBuffer records) throws IOException {
        int position = size;
        int bytes = records.remaining();
        if (position + bytes <= zeroedEnd) {
            writeFully(records.duplicate(), position);
        } else {
            synchronized (tailLock) {
                writeFully(records.duplicate(), position);
                fileEnd = Math.max(fileEnd, position + bytes);
            }
        }
    }

    /** Makes the {@code bytes} written by {@link #write} visible to readers. Appender thread only. */
    public void publish(
            int bytes, long firstOffset, long lastOffset, long appendMaxTimestamp, long batchOffsetOfMax, long nowMs) {
        int position = size;
        if (rollStartMs < 0) {
            rollStartMs = nowMs;
        }
        trackBatch(firstOffset, position, bytes, appendMaxTimestamp, batchOffsetOfMax);
        dirty = true;
        size = position + bytes;
        nextOffset = lastOffset + 1;
    }

    /**
     * Takes back up to {@code bytes} written past the published end and not published, so that no crash can bring
     * them back: zeros over the part inside the zeroed tail (which needs no new blocks), and the file cut back where
     * the write made it longer. Appender thread only.
     */
    public void discardUnpublished(int bytes) throws IOException {
        int position = size;
        synchronized (tailLock) {
            long tailEnd = Math.min(zeroedEnd, (long) position + bytes);
            for (long at = position; at < tailEnd; at += ZEROS.capacity()) {
                writeFully(ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), tailEnd - at)), at);
            }
            long keep = Math.max(zeroedEnd, position);
            if (channel.size() > keep && fileEnd <= (long) position + bytes) {
                channel.truncate(keep);
                fileEnd = keep;
            }
        }
    }

    private void writeFully(ByteBuffer source, long position) throws IOException {
        long written = 0;
        while (source.hasRemaining()) {
            written += channel.write(source, position + written);
        }
    }

    /**
     * Keeps the zeroed tail ahead of the appends: when fewer than {@code chunkBytes / 2} zeroed bytes are left, another
     * {@code chunkBytes} of zeros are written and forced on {@code executor}. A segment starts its tail only once it
     * holds {@code chunkBytes} of data, so a log that is written to rarely never carries zeros, and the tail never
     * reaches past {@code maxBytes} (the segment size). Any thread.
     */
    public void maybeExtendTail(int chunkBytes, int maxBytes, Executor executor) {
        if (chunkBytes <= 0 || size < chunkBytes || zeroedEnd - size >= chunkBytes / 2) {
            return;
        }
        synchronized (tailLock) {
            if (extending || sealed || fileEnd >= maxBytes) {
                return;
            }
            extending = true;
        }
        try {
            executor.execute(() -> extendTail(chunkBytes, maxBytes));
        } catch (RuntimeException e) {
            synchronized (tailLock) {
                extending = false;
            }
        }
    }

    /** Writes and forces chunks of zeros until the tail is ahead of the appends again (they may have overrun it). */
    private void extendTail(int chunkBytes, int maxBytes) {
        while (true) {
            long to;
            try {
                synchronized (tailLock) {
                    if (sealed) {
                        extending = false;
                        return;
                    }
                    long from = fileEnd;
                    to = Math.min(from + chunkBytes, maxBytes);
                    for (long at = from; at < to; at += ZEROS.capacity()) {
                        writeFully(ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), to - at)), at);
                    }
                    fileEnd = Math.max(fileEnd, to);
                }
                channel.force(false);
            } catch (IOException e) {
                // The tail only saves work: after a failed extension, appends grow the file as they would without.
                synchronized (tailLock) {
                    extending = false;
                }
                return;
            }
            synchronized (tailLock) {
                if (!sealed && fileEnd == to) {
                    zeroedEnd = to;
                }
                if (sealed || zeroedEnd - size >= chunkBytes / 2 || fileEnd >= maxBytes) {
                    extending = false;
                    return;
                }
            }
        }
    }

    /** Cuts the zeroed tail off, so the file ends with the last batch. Appender thread only. */
    private void trimTail() throws IOException {
        synchronized (tailLock) {
            sealed = true;
            zeroedEnd = size;
            if (fileEnd > size) {
                channel.truncate(size);
                fileEnd = size;
            }
        }
    }

    /** Updates the max timestamp and adds index entries for a batch (or run of batches) at {@code position}. */
    private void trackBatch(long firstOffset, int position, int bytes, long batchMaxTimestamp, long batchOffsetOfMax) {
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            batchOffsetOfMaxTimestamp = batchOffsetOfMax;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull()) {
            offsetIndex.append(firstOffset, position);
            if (maxTimestamp >= 0) {
                timeIndex.maybeAppend(maxTimestamp, batchOffsetOfMaxTimestamp, false);
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += bytes;
    }

    /**
     * Reads whole batches starting with the one that holds {@code fetchOffset}.
     *
     * @param upperOffset no batch with an offset at or above this is returned
     * @param minOneBatch return the first batch even when it is larger than {@code maxBytes}
     * @return the batches; {@link LogSlice#EMPTY} when the first one may not be returned yet; null when this segment
     *     holds nothing at or after {@code fetchOffset}
     */
    public LogSlice read(long fetchOffset, int maxBytes, long upperOffset, boolean minOneBatch) throws IOException {
        int committed = size;
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        BatchPosition first = translate(reader, fetchOffset, committed);
        if (first == null) {
            return null;
        }
        int limit = committed;
        if (upperOffset <= first.lastOffset()) {
            return LogSlice.EMPTY;
        }
        if (upperOffset < nextOffset) {
            BatchPosition upper = translate(reader, upperOffset, committed);
            if (upper != null) {
                limit = upper.position();
            }
        }
        int bound = (int) Math.min(limit, (long) first.position() + maxBytes);
        int end = lastBoundaryAtOrBelow(reader, first.position(), bound);
        if (end == first.position()) {
            if (!minOneBatch) {
                return LogSlice.EMPTY;
            }
            end = first.position() + first.sizeInBytes();
        }
        return new LogSlice(channel, first.position(), end - first.position(), first.baseOffset());
    }

    /**
     * Finds the first batch whose last offset is at least {@code offset}, among the first {@code committed} bytes:
     * an index lookup, then a scan of headers. Null when there is none.
     */
    private BatchPosition translate(BatchHeaderReader reader, long offset, int committed) throws IOException {
        OffsetIndex.Entry entry = offsetIndex.lookup(offset);
        int start = entry.position() < committed ? entry.position() : 0;
        try {
            return scanForOffset(reader, offset, start, committed);
        } catch (IOException e) {
            if (start == 0) {
                throw e;
            }
            // The index pointed between batches: it is only a cache, so fall back to the start of the segment.
            return scanForOffset(reader, offset, 0, committed);
        }
    }

    private BatchPosition scanForOffset(BatchHeaderReader reader, long offset, int start, int committed)
            throws IOException {
        int position = start;
        while (position + BatchView.HEADER_SIZE <= committed) {
            BatchView batch = reader.read(position);
            if (!BatchHeaderReader.isPlausible(batch, position, committed)) {
                throw new IOException("segment " + logFile + " has an invalid batch header at position " + position);
            }
            int batchSize = batch.sizeInBytes();
            if (batch.lastOffset() >= offset) {
                return new BatchPosition(position, batchSize, batch.baseOffset(), batch.lastOffset());
            }
            position += batchSize;
        }
        return null;
    }

    /** The end of the last whole batch that starts at or after {@code start} and ends at or before {@code bound}. */
    private int lastBoundaryAtOrBelow(BatchHeaderReader reader, int start, int bound) throws IOException {
        int fromIndex = offsetIndex.lookupByPosition(bound).position();
        if (fromIndex > start) {
            int end = boundaryScan(reader, fromIndex, bound);
            if (end >= 0) {
                return end;
            }
            // The index pointed between batches: it is only a cache, so scan from the known batch start instead.
        }
        int end = boundaryScan(reader, start, bound);
        if (end < 0) {
            throw new IOException("segment " + logFile + " has an invalid batch header after position " + start);
        }
        return end;
    }

    /** Walks whole batches from {@code position} up to {@code bound}; -1 when a header is implausible. */
    private int boundaryScan(BatchHeaderReader reader, int position, int bound) throws IOException {
        while (position + BatchView.HEADER_SIZE <= bound) {
            BatchView batch = reader.read(position);
            if (!BatchHeaderReader.isPlausible(batch, position, Integer.MAX_VALUE)) {
                return -1;
            }
            int batchSize = batch.sizeInBytes();
            if ((long) position + batchSize > bound) {
                break;
            }
            position += batchSize;
        }
        return position;
    }

    /** The batch holding {@code offset} or the first after it, or null. */
    public BatchPosition locate(long offset) throws IOException {
        return translate(new BatchHeaderReader(channel), offset, size);
    }

    /**
     * The first record at or after {@code startingOffset} whose timestamp is at least {@code timestamp}; null when
     * this segment has none.
     */
    public TimestampOffset findByTimestamp(long timestamp, long startingOffset) throws IOException {
        int committed = size;
        TimeIndex.Entry entry = timeIndex.lookup(timestamp);
        long from = Math.max(entry == null ? baseOffset : entry.offset(), startingOffset);
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        BatchPosition start = translate(reader, from, committed);
        if (start == null) {
            return null;
        }
        int position = start.position();
        while (position + BatchView.HEADER_SIZE <= committed) {
            BatchView header = reader.read(position);
            int batchSize = header.sizeInBytes();
            if (header.maxTimestamp() >= timestamp && header.lastOffset() >= startingOffset) {
                TimestampOffset found = searchBatch(position, batchSize, timestamp, startingOffset);
                if (found != null) {
                    return found;
                }
            }
            position += batchSize;
        }
        return null;
    }

    private TimestampOffset searchBatch(int position, int batchSize, long timestamp, long startingOffset)
            throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(batchSize);
        readFully(bytes, position);
        BatchView batch = new BatchView().wrap(bytes, 0);
        long base = batch.baseOffset();
        long[] found = {-1, -1};
        RecordScan.forEachRecord(batch, (delta, ts, keyLength) -> {
            if (ts >= timestamp && base + delta >= startingOffset) {
                found[0] = ts;
                found[1] = base + delta;
                return false;
            }
            return true;
        });
        return found[1] < 0 ? null : new TimestampOffset(found[0], found[1], batch.partitionLeaderEpoch());
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("segment " + logFile + " ended early at " + (position + buffer.position()));
            }
        }
    }

    /** Visits the header of every batch from {@code fromOffset} on, for rebuilding producer state. */
    public void forEachBatch(long fromOffset, java.util.function.Consumer<BatchView> visitor) throws IOException {
        int committed = size;
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        BatchPosition start = translate(reader, fromOffset, committed);
        if (start == null) {
            return;
        }
        int position = start.position();
        while (position + BatchView.HEADER_SIZE <= committed) {
            BatchView batch = reader.read(position);
            visitor.accept(batch);
            position += batch.sizeInBytes();
        }
    }

    /** The aborted transactions whose marker is in this segment. */
    public TransactionIndex txnIndex() {
        return txnIndex;
    }

    /** Receives a batch's header and, for a control batch, its marker type. */
    @FunctionalInterface
    public interface MarkerAwareVisitor {
        void visit(BatchView header, int controlType);
    }

    /**
     * Visits every batch from the one holding {@code fromOffset}, as {@link #forEachBatch} does, telling each control
     * batch's marker type (read from the bytes after its header).
     */
    public void forEachBatchWithMarkers(long fromOffset, MarkerAwareVisitor visitor) throws IOException {
        int committed = size;
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        BatchPosition start = translate(reader, fromOffset, committed);
        if (start == null) {
            return;
        }
        int position = start.position();
        ByteBuffer key = ByteBuffer.allocate(ControlBatches.KEY_PREFIX_BYTES);
        while (position + BatchView.HEADER_SIZE <= committed) {
            BatchView batch = reader.read(position);
            int type = ControlBatches.NOT_A_MARKER;
            int size = batch.sizeInBytes();
            if (batch.isControl()) {
                key.clear().limit(Math.min(key.capacity(), size - BatchView.HEADER_SIZE));
                channel.read(key, position + BatchView.HEADER_SIZE);
                type = ControlBatches.type(key, 0, key.position());
            }
            visitor.visit(batch, type);
            position += size;
        }
    }

    /**
     * Checks a segment that was closed cleanly: its indexes must be there and consistent (else they are rebuilt from
     * the batch headers) and its tail after the last index entry must be whole batches.
     */
    public LoadOutcome loadTrusted() throws IOException {
        int fileSize = size;
        if (!offsetIndex.existedAtOpen() || !timeIndex.existedAtOpen()) {
            return rebuildIndexes().isComplete() ? LoadOutcome.REBUILT_MISSING_INDEX : LoadOutcome.DAMAGED;
        }
        if (!offsetIndex.isConsistent(fileSize) || !timeIndex.isConsistent(fileSize)) {
            return rebuildIndexes().isComplete() ? LoadOutcome.REBUILT_CORRUPT_INDEX : LoadOutcome.DAMAGED;
        }
        TimeIndex.Entry lastTime = timeIndex.lastEntry();
        if (lastTime != null) {
            maxTimestamp = lastTime.timestamp();
            batchOffsetOfMaxTimestamp = lastTime.offset();
        }
        OffsetIndex.Entry lastEntry = offsetIndex.lookupByPosition(fileSize);
        ScanResult tail = scan(lastEntry.position(), lastEntry.offset(), false, false);
        bytesSinceLastIndexEntry = fileSize - lastEntry.position();
        return tail.isComplete() ? LoadOutcome.TRUSTED : LoadOutcome.DAMAGED;
    }

    /** Rebuilds both indexes from the batch headers, trusting the data (no CRC check). */
    public ScanResult rebuildIndexes() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = BatchView.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
        return scan(0, baseOffset, false, true);
    }

    /**
     * Validates every batch (header fields, offsets increasing, CRC), rebuilds the indexes, and cuts the file at the
     * first batch that is torn or damaged, with everything after it.
     *
     * @return what was found; {@link ScanResult#problem()} says why bytes were cut
     */
    public ScanResult recover() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = BatchView.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
        int fileSize = (int) Math.min(channel.size(), Integer.MAX_VALUE);
        size = fileSize;
        ScanResult result = scan(0, baseOffset, true, true);
        if (result.validBytes() < fileSize) {
            channel.truncate(result.validBytes());
            channel.force(true);
            size = result.validBytes();
        }
        synchronized (tailLock) {
            fileEnd = size;
            zeroedEnd = size;
        }
        return result;
    }

    /**
     * Walks the batches from {@code position}, stopping at the first implausible one. Sets {@link #nextOffset} (and,
     * when {@code index}, the index entries and the max timestamp).
     */
    private ScanResult scan(int position, long expectedOffset, boolean verifyCrc, boolean index) throws IOException {
        int fileSize = size;
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        ByteBuffer crcChunk = verifyCrc ? ByteBuffer.allocateDirect(CRC_CHUNK_BYTES) : null;
        long next = expectedOffset;
        ScanResult.Problem problem = null;
        String detail = null;
        while (position < fileSize) {
            if (position + BatchView.HEADER_SIZE > fileSize) {
                problem = ScanResult.Problem.TORN;
                detail = "torn batch header: " + (fileSize - position) + " bytes at position " + position;
                break;
            }
            BatchView batch = reader.read(position);
            detail = checkHeader(batch, position, fileSize, next);
            if (detail != null) {
                problem = classify(batch, position, fileSize);
                break;
            }
            if (verifyCrc && !crcMatches(batch, position, crcChunk)) {
                problem = ScanResult.Problem.CORRUPT;
                detail = "CRC mismatch in the batch at position " + position;
                break;
            }
            int batchSize = batch.sizeInBytes();
            long batchMax = batch.maxTimestamp();
            if (index) {
                trackBatch(batch.baseOffset(), position, batchSize, batchMax, batch.baseOffset());
            } else if (batchMax > maxTimestamp) {
                maxTimestamp = batchMax;
                batchOffsetOfMaxTimestamp = batch.baseOffset();
            }
            next = batch.lastOffset() + 1;
            position += batchSize;
        }
        nextOffset = Math.max(next, baseOffset);
        return new ScanResult(position, nextOffset, problem, detail);
    }

    /** Tells zeros (blocks lost in a power failure) and a batch cut short from other damage. */
    private static ScanResult.Problem classify(BatchView batch, int position, int fileSize) {
        ByteBuffer header = batch.buffer();
        boolean zeros = true;
        for (int i = 0; i < BatchView.HEADER_SIZE && zeros; i++) {
            zeros = header.get(batch.start() + i) == 0;
        }
        if (zeros) {
            return ScanResult.Problem.ZEROS;
        }
        boolean runsPastEnd = batch.batchLength() >= BatchView.HEADER_SIZE - BatchView.LOG_OVERHEAD
                && (long) position + BatchView.LOG_OVERHEAD + batch.batchLength() > fileSize
                && batch.magic() == BatchView.MAGIC_V2;
        return runsPastEnd ? ScanResult.Problem.TORN : ScanResult.Problem.CORRUPT;
    }

    private String checkHeader(BatchView batch, int position, int fileSize, long expectedOffset) {
        int length = batch.batchLength();
        if (length < BatchView.HEADER_SIZE - BatchView.LOG_OVERHEAD) {
            return "batch length " + length + " at position " + position + " is smaller than a header";
        }
        if ((long) position + BatchView.LOG_OVERHEAD + length > fileSize) {
            return "batch at position " + position + " is torn: it needs " + (BatchView.LOG_OVERHEAD + length)
                    + " bytes, the file has " + (fileSize - position);
        }
        if (batch.magic() != BatchView.MAGIC_V2) {
            return "batch at position " + position + " has magic " + batch.magic();
        }
        if (batch.baseOffset() < expectedOffset || batch.lastOffsetDelta() < 0) {
            return "batch at position " + position + " has offsets " + batch.baseOffset() + ".." + batch.lastOffset()
                    + ", expected from " + expectedOffset;
        }
        if (batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
            return "batch at position " + position + " has offset " + batch.lastOffset()
                    + " too far from the segment's base " + baseOffset;
        }
        return null;
    }

    /** Computes the CRC of a batch in chunks, so a garbage length can never make recovery allocate it. */
    private boolean crcMatches(BatchView header, int position, ByteBuffer chunk) throws IOException {
        CRC32C crc = new CRC32C();
        long from = (long) position + BatchView.ATTRIBUTES_OFFSET;
        long end = (long) position + header.sizeInBytes();
        while (from < end) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), end - from));
            readFully(chunk, from);
            chunk.flip();
            crc.update(chunk);
            from += chunk.limit();
        }
        return crc.getValue() == header.storedCrc();
    }

    /**
     * Removes the batch holding {@code offset} and everything after it, durably.
     *
     * @return the segment's new next offset
     */
    public long truncateTo(long offset) throws IOException {
        BatchPosition cut = locate(offset);
        if (cut == null) {
            return nextOffset;
        }
        offsetIndex.truncateTo(cut.baseOffset());
        timeIndex.truncateTo(cut.baseOffset());
        txnIndex.truncateTo(cut.baseOffset());
        synchronized (tailLock) {
            channel.truncate(cut.position());
            fileEnd = cut.position();
            zeroedEnd = cut.position();
        }
        channel.force(true);
        size = cut.position();
        nextOffset = cut.position() == 0 ? baseOffset : cut.baseOffset();
        maxTimestamp = BatchView.NO_TIMESTAMP;
        // Recomputes the max timestamp of what is left, and the next offset: after its last batch, which a log with a
        // gap (a follower that restarted at its leader's log start) may leave below the cut batch's base.
        scan(0, baseOffset, false, false);
        bytesSinceLastIndexEntry = 0;
        return nextOffset;
    }

    /** The next offset {@link #truncateTo}{@code (offset)} would leave, without cutting anything. */
    public long nextOffsetAfterCut(long offset) throws IOException {
        BatchPosition cut = locate(offset);
        if (cut == null) {
            return nextOffset;
        }
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        long next = baseOffset;
        int position = 0;
        while (position < cut.position()) {
            BatchView batch = reader.read(position);
            next = batch.lastOffset() + 1;
            position += batch.sizeInBytes();
        }
        return Math.max(next, baseOffset);
    }

    /**
     * Adds the final time-index entry, trims both indexes and cuts off the zeroed tail, when a newer segment takes
     * over appends or the log closes. A cut tail is forced at once, so that no segment but the last can end in zeros
     * after a crash.
     */
    public void onBecomeInactive() throws IOException {
        boolean hadTail;
        synchronized (tailLock) {
            hadTail = fileEnd > size;
        }
        trimTail();
        if (hadTail) {
            channel.force(false);
        }
        if (maxTimestamp >= 0) {
            timeIndex.maybeAppend(maxTimestamp, batchOffsetOfMaxTimestamp, true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Makes the indexes of a formerly inactive segment take appends again (after the log was truncated into it). */
    public void reopenForAppends(LogConfig config) throws IOException {
        synchronized (tailLock) {
            sealed = false;
        }
        offsetIndex.expandForAppends(config.segmentIndexBytes());
        timeIndex.expandForAppends(config.segmentIndexBytes());
    }

    /** Whether appends since the last {@link #flush()} may not be on disk yet. */
    public boolean isDirty() {
        return dirty;
    }

    /** Forces the log file's data to disk. The dirty flag is cleared first, so a racing append is never missed. */
    public void flush() throws IOException {
        if (dirty) {
            dirty = false;
            channel.force(false);
        }
    }

    /** Forces the log file and both indexes to disk, for a segment that is no longer active. */
    public void flushAll() throws IOException {
        dirty = false;
        channel.force(false);
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /** Renames the files with {@link #DELETED_SUFFIX}; the channel stays open for reads already under way. */
    public void renameForDeletion() throws IOException {
        Path deleted = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        // A cleaned segment replaced again within file.delete.delay.ms leaves an older file of this name.
        Files.move(logFile, deleted, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        logFile = deleted;
        offsetIndex.renameTo(
                offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + DELETED_SUFFIX));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName() + DELETED_SUFFIX));
        txnIndex.renameTo(txnIndex.file().resolveSibling(txnIndex.file().getFileName() + DELETED_SUFFIX));
    }

    /** Closes the channel and removes the files. */
    public void deleteFiles() throws IOException {
        channel.close();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
        txnIndex.deleteFile();
    }

    /** Closes the log file and leaves the indexes as they are. */
    public void closeChannel() throws IOException {
        channel.close();
    }

    /** Trims the indexes and closes the log file. */
    public void close() throws IOException {
        offsetIndex.close();
        timeIndex.close();
        channel.close();
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile + ", size=" + size + ", offsets=" + baseOffset + ".." + nextOffset + ")";
    }
}
