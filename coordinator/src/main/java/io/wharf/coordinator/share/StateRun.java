package io.wharf.coordinator.share;

/** Consecutive offsets {@code [first, last]} of a share-partition that share one {@link SlotState}. */
public record StateRun(long first, long last, SlotState slot) {

    public StateRun {
        if (first > last) {
            throw new IllegalArgumentException("run " + first + ".." + last + " is empty");
        }
    }

    long count() {
        return last - first + 1;
    }
}
