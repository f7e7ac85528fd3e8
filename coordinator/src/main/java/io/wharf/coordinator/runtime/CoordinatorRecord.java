package io.wharf.coordinator.runtime;

import java.util.Arrays;

/**
 * One record of a coordinator's partition: an opaque key and value (a null value deletes the key). Each coordinator
 * defines what its keys and values hold.
 */
public record CoordinatorRecord(byte[] key, byte[] value) {

    public boolean isTombstone() {
        return value == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CoordinatorRecord that
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "CoordinatorRecord(" + key.length + " B key, " + (value == null ? "tombstone" : value.length + " B")
                + ")";
    }
}
