/**
 * One segment of a partition log: the {@code .log} file of record batches and its two memory-mapped indexes, which
 * are caches that can always be rebuilt from the log. {@link io.wharf.storage.segment.LogSegment} draws the files.
 */
package io.wharf.storage.segment;
