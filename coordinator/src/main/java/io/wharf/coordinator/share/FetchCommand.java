package io.wharf.coordinator.share;

import java.util.List;

/**
 * What one fetch (or acknowledgement) asks of a share-partition: apply the member's acknowledgements, then acquire
 * up to {@code maxRecords} records within {@code maxBytes} of whole batches (none when 0).
 *
 * @param renewAllowed whether RENEW acknowledgements are allowed (a request with IsRenewAck)
 * @param alignToBatches batch-optimized acquisition: the rest of a batch already being sent may be added
 */
public record FetchCommand(
        SharePartitionKey key,
        String memberId,
        List<Acknowledgement> acknowledgements,
        boolean renewAllowed,
        int maxRecords,
        long maxBytes,
        boolean alignToBatches) {}
