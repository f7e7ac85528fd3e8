/** The records of the metadata log, and their binary form ({@link io.wharf.metadata.record.MetadataRecordSerde}). */
package io.wharf.metadata.record;
