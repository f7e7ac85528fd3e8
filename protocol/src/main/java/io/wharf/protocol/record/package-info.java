/**
 * A view of Kafka record batches (magic 2) that reads and patches them in the bytes they arrived in, without
 * copying: {@link io.wharf.protocol.record.BatchView} for the 61-byte header, {@link io.wharf.protocol.record.RecordScan}
 * to check the records inside. Storage validates and stores batches through these classes only.
 */
package io.wharf.protocol.record;
