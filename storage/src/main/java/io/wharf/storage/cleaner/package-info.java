/**
 * Log compaction: {@link io.wharf.storage.cleaner.LogCleaner} picks the dirtiest compacted log, {@link
 * io.wharf.storage.cleaner.CleaningPass} maps each key of its dirty section to the key's last offset in a
 * fixed-memory {@link io.wharf.storage.cleaner.OffsetMap} and rewrites the clean segments without the records a later
 * one replaces, nor aborted transactions' batches, nor the markers of transactions whose data is long gone, and the
 * partition log swaps the result in crash-safely ({@link
 * io.wharf.storage.PartitionLog#replaceSegments}). The cleaner threads only read segments that no longer change; the
 * swap runs under the log's append lock, the one owner of its segment map.
 */
package io.wharf.storage.cleaner;
