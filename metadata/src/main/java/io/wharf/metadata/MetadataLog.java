package io.wharf.metadata;

import io.wharf.metadata.record.MetadataRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The ordered, durable log of metadata records. A batch is appended atomically: after a crash it is there whole or
 * not at all. Implementations: {@link LocalMetadataLog} (one node, a local file); a Raft-replicated log for clusters.
 */
public interface MetadataLog extends AutoCloseable {

    /** Receives committed batches in order. */
    @FunctionalInterface
    interface BatchConsumer {
        void accept(List<MetadataRecord> records, long lastOffset);
    }

    /** Feeds every committed batch, in order, to {@code consumer}. */
    void replay(BatchConsumer consumer) throws IOException;

    /** Appends a batch; completes with the offset of its last record once it is durable (committed). */
    CompletableFuture<Long> append(List<MetadataRecord> records);

    /** The offset the next record will get. */
    long endOffset();

    @Override
    void close() throws IOException;
}
