package io.wharf.coordinator.share;

/** Consecutive offsets {@code [first, last]} of a share-partition that share one {@link SlotState}. */
record StateRun(long first, long last, SlotState slot) {

    StateRun {
        if (first > last) {
            throw new IllegalArgumentException("run " + first + ".." + last + " is empty");
        }
    }

    long count() {
        return last - first + 1;
    }
}
