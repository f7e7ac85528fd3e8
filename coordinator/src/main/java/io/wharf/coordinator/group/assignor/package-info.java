/**
 * Server-side assignors for KIP-848 consumer groups: given each member's subscribed topics and the previous target
 * assignment, decide which member should own which partition. Pure functions, tested on their own.
 */
package io.wharf.coordinator.group.assignor;
