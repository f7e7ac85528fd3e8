package io.wharf.replication;

/**
 * Why a replica refused a request, named after the Kafka error code the broker answers with. Protocol-neutral: the
 * server maps each to its Kafka code by name.
 */
public enum ReplicaError {
    NONE,
    NOT_LEADER_OR_FOLLOWER,
    FENCED_LEADER_EPOCH,
    UNKNOWN_LEADER_EPOCH,
    OFFSET_OUT_OF_RANGE,
    UNKNOWN_TOPIC_OR_PARTITION,
    NOT_ENOUGH_REPLICAS,
    NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    KAFKA_STORAGE_ERROR,
    REQUEST_TIMED_OUT,
    UNKNOWN_SERVER_ERROR
}
