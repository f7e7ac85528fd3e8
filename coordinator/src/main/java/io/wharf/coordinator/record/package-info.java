/**
 * The binary vocabulary that coordinator records are written in: big-endian integers, length-prefixed strings and
 * lists. Each coordinator defines its own keys and values on top of it.
 */
package io.wharf.coordinator.record;
