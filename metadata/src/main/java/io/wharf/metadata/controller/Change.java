package io.wharf.metadata.controller;

import io.wharf.metadata.record.MetadataRecord;
import java.util.List;

/** What a change writes, and the answer it gives once the records are committed. Computed without side effects. */
record Change<T>(List<MetadataRecord> records, T result) {

    static <T> Change<T> of(T result) {
        return new Change<>(List.of(), result);
    }
}
