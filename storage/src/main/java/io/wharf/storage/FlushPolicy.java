package io.wharf.storage;

import java.util.Locale;

/** When a partition's appends are forced to disk. */
public enum FlushPolicy {
    /**
     * Group-commit fsync: an {@code acks=all} produce is answered only once its batch is on disk, and consumers see
     * only records that are. The default: no acknowledged write is lost, even on power loss.
     */
    ACKS_ALL("acks-all"),
    /** Fsync after {@code flush.messages} records or {@code flush.ms}, like Kafka; acknowledgements do not wait. */
    INTERVAL("interval"),
    /** Never fsync explicitly (except on segment roll and shutdown); the operating system writes back when it will. */
    OS("os");

    private final String configValue;

    FlushPolicy(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static FlushPolicy fromConfig(String value) {
        for (FlushPolicy policy : values()) {
            if (policy.configValue.equals(value.toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown flush policy " + value);
    }
}
