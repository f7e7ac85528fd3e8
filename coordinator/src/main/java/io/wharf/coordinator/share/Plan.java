package io.wharf.coordinator.share;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one operation decided for one share-partition, before anything is written: the new state of each record it
 * changes, a new start offset when the log start moved past the old one, and what to hand the member. Turned into a
 * share-state update record; the share-partition changes only when that record is replayed.
 */
final class Plan {

    private final TreeMap<Long, SlotState> changes = new TreeMap<>();
    private final TreeMap<Long, Integer> acquired = new TreeMap<>();
    private final List<BatchSpan> batches = new ArrayList<>();
    private long newStart = -1;

    /** The state this plan gives {@code offset}, or null when it leaves it alone. */
    SlotState change(long offset) {
        return changes.get(offset);
    }

    void set(long offset, SlotState slot) {
        changes.put(offset, slot);
    }

    /** Hands {@code offset} to a member with its new delivery count. */
    void acquire(long offset, SlotState slot) {
        changes.put(offset, slot);
        acquired.put(offset, slot.deliveries());
    }

    void addBatch(BatchSpan batch) {
        batches.add(batch);
    }

    void moveStartTo(long offset) {
        newStart = Math.max(newStart, offset);
    }

    long newStart() {
        return newStart;
    }

    boolean isEmpty() {
        return changes.isEmpty() && newStart < 0;
    }

    int acquiredCount() {
        return acquired.size();
    }

    /** The changes as runs of consecutive offsets with equal states, in offset order. */
    List<StateRun> runs() {
        List<StateRun> runs = new ArrayList<>();
        long first = -1;
        long last = -1;
        SlotState current = null;
        for (Map.Entry<Long, SlotState> entry : changes.entrySet()) {
            long offset = entry.getKey();
            if (current != null && offset == last + 1 && current.equals(entry.getValue())) {
                last = offset;
                continue;
            }
            if (current != null) {
                runs.add(new StateRun(first, last, current));
            }
            first = offset;
            last = offset;
            current = entry.getValue();
        }
        if (current != null) {
            runs.add(new StateRun(first, last, current));
        }
        return runs;
    }

    /** What the member acquired: runs of consecutive offsets with equal delivery counts, in offset order. */
    List<AcquiredRecords> acquiredRecords() {
        List<AcquiredRecords> result = new ArrayList<>();
        AcquiredRecords open = null;
        for (Map.Entry<Long, Integer> entry : acquired.entrySet()) {
            long offset = entry.getKey();
            int deliveries = entry.getValue();
            if (open != null && open.lastOffset() + 1 == offset && open.deliveries() == deliveries) {
                open = new AcquiredRecords(open.firstOffset(), offset, deliveries);
                result.set(result.size() - 1, open);
            } else {
                open = new AcquiredRecords(offset, offset, deliveries);
                result.add(open);
            }
        }
        return result;
    }

    /** The batches to send for what was acquired, in offset order. */
    List<BatchSpan> batches() {
        List<BatchSpan> sorted = new ArrayList<>(batches);
        sorted.sort((a, b) -> Long.compare(a.baseOffset(), b.baseOffset()));
        return sorted;
    }

    /** The records this plan archives with a copy still to be written to the dead-letter topic. */
    List<DeadLetters.Letter> deadLetters() {
        List<DeadLetters.Letter> letters = new ArrayList<>();
        changes.forEach((offset, slot) -> {
            if (slot.state() == RecordState.ARCHIVING) {
                letters.add(new DeadLetters.Letter(offset, slot.deliveries(), slot.cause()));
            }
        });
        return letters;
    }

    /** Whether some record becomes available to acquire. */
    boolean releasesAny() {
        return changes.values().stream().anyMatch(s -> s.state() == RecordState.AVAILABLE);
    }

    @Override
    public String toString() {
        return "Plan(" + runs() + (newStart >= 0 ? ", start " + newStart : "") + ")";
    }
}
