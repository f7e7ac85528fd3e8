package io.wharf.server.handler;

import io.wharf.metadata.MetadataError;
import io.wharf.replication.ReplicaError;
import io.wharf.storage.LogError;
import org.apache.kafka.common.protocol.Errors;

/** Maps Wharf's error enums to Kafka error codes; each enum constant has the name of its Kafka error. */
public final class ErrorMapping {

    private ErrorMapping() {}

    public static Errors of(LogError error) {
        return Errors.valueOf(error.name());
    }

    public static Errors of(ReplicaError error) {
        return Errors.valueOf(error.name());
    }

    public static Errors of(MetadataError error) {
        return error == null ? Errors.NONE : Errors.valueOf(error.name());
    }
}
