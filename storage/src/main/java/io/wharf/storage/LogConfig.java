package io.wharf.storage;

import io.wharf.common.config.ConfigDefinitions;
import io.wharf.common.config.ConfigKey;
import io.wharf.common.config.ConfigValues;
import io.wharf.protocol.record.BatchView;
import java.util.List;
import java.util.Map;

/**
 * The settings of one partition log, under Kafka's topic-level names. Immutable: a change of a topic's configs
 * gives the log a new instance.
 *
 * @param segmentBytes roll a segment before it would grow past this size
 * @param segmentMs roll a segment this long after its first append
 * @param segmentIndexBytes the size of each segment's offset and time index; a full index rolls the segment
 * @param indexIntervalBytes bytes between two offset-index entries
 * @param maxMessageBytes the largest batch accepted
 * @param logAppendTime stamp batches with the broker's time instead of keeping the producer's
 * @param timestampBeforeMaxMs how far in the past a producer's timestamp may be
 * @param timestampAfterMaxMs how far in the future a producer's timestamp may be
 * @param retentionMs delete segments whose newest record is older than this; -1 keeps them forever
 * @param retentionBytes delete the oldest segments while the log is larger than this; -1 for no limit
 * @param fileDeleteDelayMs how long a deleted segment's files stay readable for fetches already under way
 * @param flushPolicy when appends are forced to disk
 * @param flushMessages under {@link FlushPolicy#INTERVAL}: fsync after this many records
 * @param flushMs under {@link FlushPolicy#INTERVAL}: fsync at least this often
 * @param compact whether the topic is compacted (records must then have keys, and the cleaner keeps the latest per key)
 * @param delete whether retention deletes old segments ({@code cleanup.policy} has {@code delete})
 * @param deleteRetentionMs how long the cleaner keeps a tombstone that is the latest record of its key
 * @param minCleanableDirtyRatio the share of a compacted log's cleanable bytes that must be dirty before it is cleaned
 * @param minCompactionLagMs records younger than this are never compacted
 * @param maxCompactionLagMs a log with dirty records older than this is cleaned whatever its dirty ratio
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        int maxMessageBytes,
        boolean logAppendTime,
        long timestampBeforeMaxMs,
        long timestampAfterMaxMs,
        long retentionMs,
        long retentionBytes,
        long fileDeleteDelayMs,
        FlushPolicy flushPolicy,
        long flushMessages,
        long flushMs,
        boolean compact,
        boolean delete,
        long deleteRetentionMs,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs) {

    public static final ConfigKey<Integer> SEGMENT_BYTES = ConfigKey.integer("segment.bytes", 1 << 30)
            .atLeast(BatchView.HEADER_SIZE)
            .doc("Roll a new segment file before the active one grows past this many bytes.")
            .build();
    public static final ConfigKey<Long> SEGMENT_MS = ConfigKey.longKey("segment.ms", 7L * 24 * 60 * 60 * 1000)
            .atLeast(1)
            .doc("Roll a new segment this many milliseconds after the first append to the active one, even if it is"
                    + " not full, so that retention can delete old data.")
            .build();
    public static final ConfigKey<Integer> SEGMENT_INDEX_BYTES = ConfigKey.integer("segment.index.bytes", 10 << 20)
            .atLeast(12)
            .doc("The size of each segment's memory-mapped offset and time index; a full index rolls the segment.")
            .build();
    public static final ConfigKey<Integer> INDEX_INTERVAL_BYTES = ConfigKey.integer("index.interval.bytes", 4096)
            .atLeast(0)
            .doc("Bytes of log between two offset-index entries: smaller makes lookups scan less and indexes larger.")
            .build();
    public static final ConfigKey<Integer> MAX_MESSAGE_BYTES = ConfigKey.integer("max.message.bytes", 1048588)
            .atLeast(0)
            .doc("The largest record batch the topic accepts, after compression.")
            .build();
    public static final ConfigKey<String> MESSAGE_TIMESTAMP_TYPE = ConfigKey.string(
                    "message.timestamp.type", "CreateTime")
            .oneOf("CreateTime", "LogAppendTime")
            .doc("CreateTime keeps the producer's timestamps; LogAppendTime replaces them with the broker's time.")
            .build();
    public static final ConfigKey<Long> MESSAGE_TIMESTAMP_BEFORE_MAX_MS = ConfigKey.longKey(
                    "message.timestamp.before.max.ms", Long.MAX_VALUE)
            .atLeast(0)
            .doc("With CreateTime, refuse records whose timestamp is more than this many milliseconds in the past.")
            .build();
    public static final ConfigKey<Long> MESSAGE_TIMESTAMP_AFTER_MAX_MS = ConfigKey.longKey(
                    "message.timestamp.after.max.ms", 3_600_000L)
            .atLeast(0)
            .doc("With CreateTime, refuse records whose timestamp is more than this many milliseconds in the future.")
            .build();
    public static final ConfigKey<Long> RETENTION_MS = ConfigKey.longKey("retention.ms", 7L * 24 * 60 * 60 * 1000)
            .atLeast(-1)
            .doc("Delete a segment once its newest record is older than this; -1 keeps data forever.")
            .build();
    public static final ConfigKey<Long> RETENTION_BYTES = ConfigKey.longKey("retention.bytes", -1L)
            .atLeast(-1)
            .doc("Delete the oldest segments while the partition is larger than this; -1 for no size limit.")
            .build();
    public static final ConfigKey<Long> FILE_DELETE_DELAY_MS = ConfigKey.longKey("file.delete.delay.ms", 60_000L)
            .atLeast(0)
            .doc("How long the files of a deleted segment stay on disk, so that fetches already reading them finish.")
            .build();
    public static final ConfigKey<String> FLUSH_POLICY = ConfigKey.string(
                    "wharf.flush.policy", FlushPolicy.ACKS_ALL.configValue())
            .oneOf("acks-all", "interval", "os")
            .doc("acks-all: answer acks=all produces only after their data is fsynced (group commit), and let"
                    + " consumers read only fsynced data. interval: fsync per flush.messages/flush.ms, like Kafka."
                    + " os: leave write-back to the operating system.")
            .build();
    public static final ConfigKey<Long> FLUSH_MESSAGES = ConfigKey.longKey("flush.messages", Long.MAX_VALUE)
            .atLeast(1)
            .doc("With wharf.flush.policy=interval, fsync after this many records.")
            .build();
    public static final ConfigKey<Long> FLUSH_MS = ConfigKey.longKey("flush.ms", Long.MAX_VALUE)
            .atLeast(0)
            .doc("With wharf.flush.policy=interval, fsync at least this often.")
            .build();
    public static final ConfigKey<List<String>> CLEANUP_POLICY = ConfigKey.list("cleanup.policy", List.of("delete"))
            .oneOf("delete", "compact")
            .doc("delete: drop old segments by retention.ms and retention.bytes. compact: records must have keys, and"
                    + " the log cleaner keeps at least the latest record of every key. Both may be given.")
            .build();
    public static final ConfigKey<Long> DELETE_RETENTION_MS = ConfigKey.longKey("delete.retention.ms", 86_400_000L)
            .atLeast(0)
            .doc("On a compacted topic, how long a tombstone (a record with a null value) that is the latest of its"
                    + " key is kept, judged by its batch's timestamp, so that consumers reading behind see it.")
            .build();
    public static final ConfigKey<Double> MIN_CLEANABLE_DIRTY_RATIO = ConfigKey.doubleKey(
                    "min.cleanable.dirty.ratio", 0.5)
            .check(v -> v != null && v >= 0 && v <= 1, "[0,...,1]")
            .doc("Clean a compacted log once this share of its cleanable bytes has not been cleaned yet.")
            .build();
    public static final ConfigKey<Long> MIN_COMPACTION_LAG_MS = ConfigKey.longKey("min.compaction.lag.ms", 0L)
            .atLeast(0)
            .doc("The cleaner leaves every segment holding a record younger than this as it is.")
            .build();
    public static final ConfigKey<Long> MAX_COMPACTION_LAG_MS = ConfigKey.longKey(
                    "max.compaction.lag.ms", Long.MAX_VALUE)
            .atLeast(1)
            .doc("A compacted log whose oldest uncleaned segment is older than this is cleaned whatever its dirty"
                    + " ratio.")
            .build();

    /** Every key above, in the order the docs list them. */
    public static final ConfigDefinitions DEFINITIONS = ConfigDefinitions.of(List.of(
            SEGMENT_BYTES,
            SEGMENT_MS,
            SEGMENT_INDEX_BYTES,
            INDEX_INTERVAL_BYTES,
            MAX_MESSAGE_BYTES,
            MESSAGE_TIMESTAMP_TYPE,
            MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
            MESSAGE_TIMESTAMP_AFTER_MAX_MS,
            RETENTION_MS,
            RETENTION_BYTES,
            FILE_DELETE_DELAY_MS,
            FLUSH_POLICY,
            FLUSH_MESSAGES,
            FLUSH_MS,
            CLEANUP_POLICY,
            DELETE_RETENTION_MS,
            MIN_CLEANABLE_DIRTY_RATIO,
            MIN_COMPACTION_LAG_MS,
            MAX_COMPACTION_LAG_MS));

    /** The defaults of every key. */
    public static LogConfig defaults() {
        return from(ConfigValues.empty());
    }

    /** Resolves typed values, each unset key at its default. */
    public static LogConfig from(ConfigValues values) {
        return new LogConfig(
                values.get(SEGMENT_BYTES),
                values.get(SEGMENT_MS),
                values.get(SEGMENT_INDEX_BYTES),
                values.get(INDEX_INTERVAL_BYTES),
                values.get(MAX_MESSAGE_BYTES),
                values.get(MESSAGE_TIMESTAMP_TYPE).equals("LogAppendTime"),
                values.get(MESSAGE_TIMESTAMP_BEFORE_MAX_MS),
                values.get(MESSAGE_TIMESTAMP_AFTER_MAX_MS),
                values.get(RETENTION_MS),
                values.get(RETENTION_BYTES),
                values.get(FILE_DELETE_DELAY_MS),
                FlushPolicy.fromConfig(values.get(FLUSH_POLICY)),
                values.get(FLUSH_MESSAGES),
                values.get(FLUSH_MS),
                values.get(CLEANUP_POLICY).contains("compact"),
                values.get(CLEANUP_POLICY).contains("delete"),
                values.get(DELETE_RETENTION_MS),
                values.get(MIN_CLEANABLE_DIRTY_RATIO),
                values.get(MIN_COMPACTION_LAG_MS),
                values.get(MAX_COMPACTION_LAG_MS));
    }

    /**
     * Parses text settings (as a client or a properties file gives them), each unset key at its default.
     *
     * @throws io.wharf.common.config.ConfigException for an unknown key or an invalid value
     */
    public static LogConfig parse(Map<String, String> settings) {
        return from(ConfigValues.of(DEFINITIONS.parse(settings)));
    }

    /** Whether a consumer may read records that are not yet on disk. */
    public boolean exposesUnflushed() {
        return flushPolicy != FlushPolicy.ACKS_ALL;
    }
}
