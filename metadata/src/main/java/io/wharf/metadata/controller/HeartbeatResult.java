package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataError;

/**
 * The controller's answer to a heartbeat.
 *
 * @param fenced whether the broker is fenced (not caught up yet, or its session expired and it has not caught up
 *     since)
 * @param shouldShutDown a broker that asked to shut down may now stop: nothing it leads could move elsewhere
 * @param error STALE_BROKER_EPOCH when the registration is gone or replaced (register again); null otherwise
 */
public record HeartbeatResult(boolean fenced, boolean shouldShutDown, MetadataError error, String message) {

    static HeartbeatResult refused(MetadataError error, String message) {
        return new HeartbeatResult(true, false, error, message);
    }
}
