package io.wharf.metadata;

/**
 * Why the controller refused a change. Each constant has the name of the Kafka error code the broker answers with.
 */
public enum MetadataError {
    TOPIC_ALREADY_EXISTS,
    INVALID_TOPIC_EXCEPTION,
    INVALID_PARTITIONS,
    INVALID_REPLICATION_FACTOR,
    INVALID_REPLICA_ASSIGNMENT,
    UNKNOWN_TOPIC_OR_PARTITION,
    UNKNOWN_TOPIC_ID,
    INVALID_REQUEST,
    INVALID_CONFIG,
    TOPIC_DELETION_DISABLED
}
