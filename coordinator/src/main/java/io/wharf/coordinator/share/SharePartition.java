package io.wharf.coordinator.share;

import io.wharf.common.Invariants;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;

/**
 * One share-partition: which records of a topic partition a share group has done with, which are locked to which
 * member until when, and how often each was delivered.
 *
 * <p>The durable state is the start offset (every record below it is done with) and the {@link InFlightWindow} of
 * records from there on. It changes only in {@link #replace} and {@link #update}, which replay share-state records.
 * The {@code plan*} methods decide changes into a {@link Plan} without making them.
 *
 * <p>The soft state is what the log says about the window's records: batch boundaries, gaps and queue attributes
 * (due time, expiry, priority), read by {@link #refresh} up to {@code scannedEnd}. Only scanned records are acquired,
 * and the log is scanned at most {@code share.partition.max.record.locks} records past the start offset: the
 * in-flight window.
 *
 * <p>Not thread-safe: owned by its shard's thread.
 */
final class SharePartition {

    /** What a member's acknowledgements came to: NONE, or the error that refused all of them. */
    record AckOutcome(Errors error, String message) {
        static final AckOutcome OK = new AckOutcome(Errors.NONE, null);
    }

    private final SharePartitionKey key;
    private final InFlightWindow window;
    private final TreeMap<Long, BatchSpan> batches = new TreeMap<>();
    private long scannedEnd;

    SharePartition(SharePartitionKey key, long startOffset) {
        this.key = key;
        this.window = new InFlightWindow(startOffset);
        this.scannedEnd = startOffset;
    }

    SharePartitionKey key() {
        return key;
    }

    long startOffset() {
        return window.start();
    }

    /** One past the last record read from the log so far. */
    long scannedEnd() {
        return scannedEnd;
    }

    InFlightWindow window() {
        return window;
    }

    // ---- replay: the only way the durable state changes

    /** Replays a whole state: everything before is forgotten. */
    void replace(long startOffset, List<StateRun> runs) {
        window.reset(startOffset);
        batches.clear();
        scannedEnd = startOffset;
        apply(runs);
    }

    /** Replays an update: a start offset the log start moved to (or -1), then the records that changed. */
    void update(long startOffset, List<StateRun> runs) {
        if (startOffset > window.start()) {
            moveStartTo(startOffset);
        }
        apply(runs);
    }

    private void apply(List<StateRun> runs) {
        for (StateRun run : runs) {
            for (long offset = Math.max(run.first(), window.start()); offset <= run.last(); offset++) {
                window.set(offset, run.slot());
            }
        }
        long start = window.start();
        while (start < window.end() && window.state(start).isTerminal()) {
            start++;
        }
        moveStartTo(start);
    }

    private void moveStartTo(long offset) {
        window.advanceStartTo(offset);
        scannedEnd = Math.max(scannedEnd, offset);
        batches.headMap(offset).entrySet().removeIf(e -> e.getValue().lastOffset() < offset);
    }

    /** Runs that rebuild the durable state from nothing: every slot that is not initial. */
    List<StateRun> snapshotRuns() {
        Plan all = new Plan();
        for (long offset = window.start(); offset < window.end(); offset++) {
            SlotState slot = window.slot(offset);
            if (!slot.equals(SlotState.INITIAL)) {
                all.set(offset, slot);
            }
        }
        return all.runs();
    }

    // ---- soft state: what the log says

    /**
     * Reads batches from where the last scan stopped up to the in-flight window's end or the high watermark,
     * recording batch boundaries, gaps and queue attributes. Changes no durable state, so a fetch may call it while
     * it computes: the window may grow to hold the attributes, but only by slots in their initial state, which are
     * what every offset past the window's end already is.
     */
    void refresh(ShareLog log, ShareLog.Bounds bounds, int maxRecordLocks) {
        long first = Math.max(window.start(), bounds.logStartOffset());
        if (scannedEnd < first) {
            scannedEnd = first;
        }
        if (scannedEnd > bounds.highWatermark()) {
            // The log is shorter than what was read before (it was truncated): read it again from where it ends.
            scannedEnd = Math.max(first, bounds.highWatermark());
            batches.tailMap(scannedEnd, true).clear();
        }
        long limit = Math.min(bounds.highWatermark(), window.start() + maxRecordLocks);
        if (scannedEnd >= limit) {
            return;
        }
        Scan scan = new Scan(scannedEnd, limit);
        log.scan(key.topicId(), key.partition(), scannedEnd, limit, bounds.readCommitted(), scan);
        scannedEnd = Math.max(scannedEnd, Math.min(scan.next, limit));
    }

    /** Records one scan's batches in the window. */
    private final class Scan implements ShareLog.Visitor {
        private final long limit;
        private long next;

        Scan(long from, long limit) {
            this.next = from;
            this.limit = limit;
        }

        @Override
        public boolean batch(long baseOffset, long lastOffset, int sizeInBytes, boolean undeliverable) {
            if (lastOffset < next) {
                return true;
            }
            for (long offset = next; offset < Math.min(baseOffset, limit); offset++) {
                window.markGap(offset);
            }
            if (undeliverable) {
                for (long offset = Math.max(baseOffset, next); offset <= Math.min(lastOffset, limit - 1); offset++) {
                    window.markGap(offset);
                }
            } else {
                batches.putIfAbsent(baseOffset, new BatchSpan(baseOffset, lastOffset, sizeInBytes));
            }
            next = lastOffset + 1;
            return next < limit;
        }

        @Override
        public void record(long offset, long dueAtMs, long expiresAtMs, int priority) {
            if (offset >= window.start() && offset < limit && offset >= scannedEnd) {
                window.setAttributes(offset, dueAtMs, expiresAtMs, Math.max(0, Math.min(9, priority)));
            }
        }
    }

    // ---- planning: decide, change nothing durable

    /**
     * Checks a member's acknowledgements and plans them. Either every one applies, or none does and the outcome says
     * why: INVALID_REQUEST for malformed batches, INVALID_RECORD_STATE for records the member does not hold.
     */
    AckOutcome planAcknowledge(
            Plan plan,
            String memberId,
            List<Acknowledgement> acknowledgements,
            boolean renewAllowed,
            long nowMs,
            ShareGroupConfig config) {
        String malformed = Acknowledgements.problem(acknowledgements, renewAllowed);
        if (malformed != null) {
            return new AckOutcome(Errors.INVALID_REQUEST, malformed);
        }
        Plan acks = new Plan();
        boolean deadLetter = config.deadLetterTopic() != null;
        for (Acknowledgement ack : acknowledgements) {
            if (ack.firstOffset() < window.start() || ack.lastOffset() >= window.end()) {
                return new AckOutcome(
                        Errors.INVALID_RECORD_STATE,
                        "Offsets " + ack.firstOffset() + " to " + ack.lastOffset() + " are not all acquired");
            }
            for (long offset = ack.firstOffset(); offset <= ack.lastOffset(); offset++) {
                if (window.state(offset) != RecordState.ACQUIRED
                        || !memberId.equals(window.holder(offset))
                        || window.lockUntil(offset) <= nowMs) {
                    return new AckOutcome(
                            Errors.INVALID_RECORD_STATE,
                            "Offset " + offset + " is not acquired by member " + memberId
                                    + " (or its lock has run out)");
                }
                int deliveries = window.deliveries(offset);
                AcknowledgeType type = ack.typeOf(offset);
                SlotState next = switch (type) {
                    case ACCEPT -> SlotState.acknowledged(deliveries);
                    case RELEASE -> released(deliveries, config, deadLetter);
                    case REJECT -> SlotState.archived(deliveries, ArchiveCause.REJECTED, deadLetter);
                    case GAP -> SlotState.archived(deliveries, ArchiveCause.GAP, false);
                    case RENEW -> SlotState.acquired(deliveries, memberId, nowMs + config.lockDurationMs());
                };
                RecordState.ACQUIRED.moveTo(next.state());
                acks.set(offset, next);
            }
        }
        for (StateRun run : acks.runs()) {
            for (long offset = run.first(); offset <= run.last(); offset++) {
                plan.set(offset, run.slot());
            }
        }
        return AckOutcome.OK;
    }

    /** A record given back: available again, or archived once it has been delivered as often as allowed. */
    private static SlotState released(int deliveries, ShareGroupConfig config, boolean deadLetter) {
        return deliveries >= config.deliveryCountLimit()
                ? SlotState.archived(deliveries, ArchiveCause.DELIVERY_LIMIT, deadLetter)
                : SlotState.available(deliveries);
    }

    /**
     * Plans the acquisition of up to {@code maxRecords} available records by {@code memberId}: due records of the
     * scanned window, highest priority first and in offset order within a priority, within {@code maxBytes} of whole
     * batches (the first batch always fits). Expired records, gaps and records past the delivery limit met on the way
     * are archived instead. With {@code alignToBatches}, records of batches already being sent are added past
     * {@code maxRecords} until the next one would need another batch.
     */
    void planAcquire(
            Plan plan,
            String memberId,
            int maxRecords,
            long maxBytes,
            boolean alignToBatches,
            long logStartOffset,
            long nowMs,
            ShareGroupConfig config) {
        if (logStartOffset > window.start()) {
            plan.moveStartTo(logStartOffset);
        }
        long from = Math.max(window.start(), logStartOffset);
        long to = Math.min(scannedEnd, window.start() + config.maxRecordLocks());
        boolean deadLetter = config.deadLetterTopic() != null;
        List<Long> candidates = new ArrayList<>();
        boolean prioritized = false;
        for (long offset = from; offset < to; offset++) {
            if (plan.change(offset) != null || window.state(offset) != RecordState.AVAILABLE) {
                continue;
            }
            int deliveries = window.deliveries(offset);
            long expiresAt = window.expiresAt(offset);
            if (window.isGap(offset)) {
                plan.set(offset, SlotState.archived(deliveries, ArchiveCause.GAP, false));
            } else if (expiresAt >= 0 && expiresAt <= nowMs) {
                plan.set(offset, SlotState.archived(deliveries, ArchiveCause.EXPIRED, deadLetter));
            } else if (deliveries >= config.deliveryCountLimit()) {
                plan.set(offset, SlotState.archived(deliveries, ArchiveCause.DELIVERY_LIMIT, deadLetter));
            } else if (window.dueAt(offset) <= nowMs) {
                candidates.add(offset);
                prioritized |= window.priority(offset) != 0;
            }
        }
        if (maxRecords <= 0 || candidates.isEmpty()) {
            return;
        }
        List<Long> ordered = prioritized ? byPriority(candidates) : candidates;
        long lockUntil = nowMs + config.lockDurationMs();
        long bytes = 0;
        Map<Long, BatchSpan> sending = new TreeMap<>();
        for (long offset : ordered) {
            Map.Entry<Long, BatchSpan> entry = batches.floorEntry(offset);
            Invariants.check(
                    entry != null && entry.getValue().lastOffset() >= offset,
                    "%s: scanned offset %d has no batch",
                    key,
                    offset);
            BatchSpan batch = entry.getValue();
            boolean newBatch = !sending.containsKey(batch.baseOffset());
            if (plan.acquiredCount() >= maxRecords && (!alignToBatches || newBatch)) {
                break;
            }
            if (newBatch) {
                if (!sending.isEmpty() && bytes + batch.sizeInBytes() > maxBytes) {
                    break;
                }
                bytes += batch.sizeInBytes();
                sending.put(batch.baseOffset(), batch);
                plan.addBatch(batch);
            }
            SlotState acquired = SlotState.acquired(window.deliveries(offset) + 1, memberId, lockUntil);
            RecordState.AVAILABLE.moveTo(acquired.state());
            plan.acquire(offset, acquired);
        }
    }

    /** Candidates in priority order, 9 first; offset order within a priority. */
    private List<Long> byPriority(List<Long> candidates) {
        List<List<Long>> buckets = new ArrayList<>();
        for (int p = 0; p <= 9; p++) {
            buckets.add(new ArrayList<>());
        }
        candidates.forEach(offset -> buckets.get(window.priority(offset)).add(offset));
        List<Long> ordered = new ArrayList<>(candidates.size());
        for (int p = 9; p >= 0; p--) {
            ordered.addAll(buckets.get(p));
        }
        return ordered;
    }

    /**
     * Plans giving back records still acquired: those of {@code memberId} (every member's when null), only those
     * whose lock ran out when {@code expiredOnly}. A graceful give-back (the member closed its session, so the
     * records never reached the application) does not count as a delivery.
     */
    void planRelease(
            Plan plan, String memberId, boolean expiredOnly, boolean graceful, long nowMs, ShareGroupConfig config) {
        boolean deadLetter = config.deadLetterTopic() != null;
        for (long offset = window.start(); offset < window.end(); offset++) {
            if (window.state(offset) != RecordState.ACQUIRED || plan.change(offset) != null) {
                continue;
            }
            if (memberId != null && !memberId.equals(window.holder(offset))) {
                continue;
            }
            if (expiredOnly && window.lockUntil(offset) > nowMs) {
                continue;
            }
            int deliveries = window.deliveries(offset);
            plan.set(offset, released(graceful ? Math.max(0, deliveries - 1) : deliveries, config, deadLetter));
        }
    }

    /** Plans the end of archiving for records whose dead-letter copies are written (or could not be). */
    void planArchived(Plan plan, List<DeadLetters.Letter> letters) {
        for (DeadLetters.Letter letter : letters) {
            long offset = letter.offset();
            if (offset >= window.start() && window.state(offset) == RecordState.ARCHIVING) {
                plan.set(
                        offset,
                        SlotState.archived(
                                window.deliveries(offset), window.slot(offset).cause(), false));
            }
        }
    }

    // ---- queries

    /** Records still waiting for their dead-letter copy, as after a restart. */
    List<DeadLetters.Letter> archiving() {
        Plan pending = new Plan();
        for (long offset = window.start(); offset < window.end(); offset++) {
            if (window.state(offset) == RecordState.ARCHIVING) {
                pending.set(offset, window.slot(offset));
            }
        }
        return pending.deadLetters();
    }

    /**
     * The next time something changes on its own: a lock runs out or a delayed record comes due; -1 when nothing
     * will.
     */
    long nextDeadline(long nowMs) {
        long next = Long.MAX_VALUE;
        for (long offset = window.start(); offset < window.end(); offset++) {
            RecordState state = window.state(offset);
            if (state == RecordState.ACQUIRED) {
                next = Math.min(next, window.lockUntil(offset));
            } else if (state == RecordState.AVAILABLE && offset < scannedEnd && window.dueAt(offset) > nowMs) {
                next = Math.min(next, window.dueAt(offset));
            }
        }
        return next == Long.MAX_VALUE ? -1 : next;
    }

    /** Records from the start offset on that are acknowledged or archived (a summary's delivery-complete count). */
    int completedCount() {
        int done = 0;
        for (long offset = window.start(); offset < window.end(); offset++) {
            if (window.state(offset).isTerminal()) {
                done++;
            }
        }
        return done;
    }

    /** Whether any record is locked to a member or waits for its dead-letter copy. */
    boolean holdsRecords() {
        for (long offset = window.start(); offset < window.end(); offset++) {
            RecordState state = window.state(offset);
            if (state == RecordState.ACQUIRED || state == RecordState.ARCHIVING) {
                return true;
            }
        }
        return false;
    }

    /** The members that hold records now. */
    Set<String> holders() {
        Set<String> holders = new HashSet<>();
        for (long offset = window.start(); offset < window.end(); offset++) {
            if (window.state(offset) == RecordState.ACQUIRED) {
                holders.add(window.holder(offset));
            }
        }
        return holders;
    }

    /** Records between the start offset and {@code highWatermark} not yet acknowledged or archived. */
    long lag(long highWatermark) {
        long done = 0;
        for (long offset = window.start(); offset < Math.min(window.end(), highWatermark); offset++) {
            if (window.state(offset).isTerminal()) {
                done++;
            }
        }
        return Math.max(0, highWatermark - window.start() - done);
    }
}
