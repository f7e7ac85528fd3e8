/**
 * The broker's side of share groups: what the share coordinator reads of the partition logs
 * ({@link io.wharf.server.share.PartitionShareLog}, with Wharf's queue headers), the group settings it sees, the
 * dead-letter copies it asks for ({@link io.wharf.server.share.DeadLetterWriter}), the share sessions of consumers
 * ({@link io.wharf.server.share.ShareSessions}) and the fetch rounds that acquire records and attach their batches
 * ({@link io.wharf.server.share.ShareRounds}).
 */
package io.wharf.server.share;
