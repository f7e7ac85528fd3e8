package io.wharf.storage;

/**
 * Why the log refused an operation. Each constant has the name of the Kafka error code the broker answers with, so
 * that the mapping to the wire is by name and cannot drift.
 */
public enum LogError {
    /** The bytes are damaged: a CRC mismatch, or a length that runs past the data. */
    CORRUPT_MESSAGE,
    /** The batch is intact but breaks a rule: bad offsets, a control batch from a client, a missing key. */
    INVALID_RECORD,
    /** One batch is larger than {@code max.message.bytes}. */
    MESSAGE_TOO_LARGE,
    /** The whole append is larger than a segment. */
    RECORD_LIST_TOO_LARGE,
    /** A record's timestamp is outside {@code message.timestamp.before/after.max.ms} of the broker's time. */
    INVALID_TIMESTAMP,
    /** A producer's sequence number is not the next one expected. */
    OUT_OF_ORDER_SEQUENCE_NUMBER,
    /** A producer epoch older than the one the log has seen. */
    INVALID_PRODUCER_EPOCH,
    INVALID_TXN_STATE,
    /** The requested offset is below the log start or above the log end. */
    OFFSET_OUT_OF_RANGE,
    /** The disk failed; the log is offline until the broker restarts. */
    KAFKA_STORAGE_ERROR
}
