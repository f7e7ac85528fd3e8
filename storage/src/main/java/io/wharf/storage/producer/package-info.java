/**
 * What a partition remembers of each idempotent producer (its epoch and its last batches' sequence numbers), so a
 * retried batch is recognized and a gap is refused; snapshotted beside the segments and rebuilt from the log.
 */
package io.wharf.storage.producer;
