package io.wharf.metadata.controller;

/**
 * A broker telling the controller it is alive.
 *
 * @param metadataOffset the offset of the newest metadata image the broker has applied
 * @param wantShutDown the broker is stopping and asks for its leaderships to move first
 */
public record BrokerHeartbeat(int brokerId, long brokerEpoch, long metadataOffset, boolean wantShutDown) {}
