package io.wharf.protocol.record;

/** The compression codecs of the Kafka record format, by their id in a batch's attributes. */
public enum Compression {
    NONE(0),
    GZIP(1),
    SNAPPY(2),
    LZ4(3),
    ZSTD(4);

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    org.apache.kafka.common.compress.Compression toKafka() {
        return switch (this) {
            case NONE -> org.apache.kafka.common.compress.Compression.NONE;
            case GZIP -> org.apache.kafka.common.compress.Compression.gzip().build();
            case SNAPPY -> org.apache.kafka.common.compress.Compression.snappy().build();
            case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().build();
            case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().build();
        };
    }
}
