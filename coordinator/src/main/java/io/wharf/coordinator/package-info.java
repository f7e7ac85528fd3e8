/**
 * Coordinators whose state lives in an internal partition. Every change is a record appended to the coordinator's
 * partition through a {@link io.wharf.coordinator.runtime.PartitionWriter}; state changes only when a record is
 * replayed, the same way it is rebuilt at start-up, so a restart (or, later, a failover) recovers exactly what was
 * acknowledged. This module does not depend on the broker: the broker supplies the writer.
 */
package io.wharf.coordinator;
