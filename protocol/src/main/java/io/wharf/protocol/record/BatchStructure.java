package io.wharf.protocol.record;

/**
 * The checks that decide whether bytes are a whole, intact record batch, shared by the append path (for bytes from
 * clients and leaders) and by recovery (for bytes read back from disk).
 */
public final class BatchStructure {

    private BatchStructure() {}

    /**
     * Checks the batch at the view's position, with {@code available} bytes from there to the end of the data, and
     * returns its size in bytes.
     *
     * @throws InvalidBatchException when the length runs past the data or below a header, the magic is not 2, or
     *     the CRC does not match
     */
    public static int check(BatchView batch, int available) {
        if (available < BatchView.HEADER_SIZE) {
            throw InvalidBatchException.corrupt(
                    "Record batch is truncated: " + available + " bytes left, a header needs " + BatchView.HEADER_SIZE);
        }
        int length = batch.batchLength();
        if (length < BatchView.HEADER_SIZE - BatchView.LOG_OVERHEAD) {
            throw InvalidBatchException.corrupt("Record batch length " + length + " is smaller than its header");
        }
        if (length > available - BatchView.LOG_OVERHEAD) {
            throw InvalidBatchException.corrupt(
                    "Record batch length " + length + " runs past the end of the data (" + available + " bytes)");
        }
        byte magic = batch.magic();
        if (magic != BatchView.MAGIC_V2) {
            throw InvalidBatchException.invalid(
                    "Record batch has magic " + magic + "; only message format v2 (magic 2) is supported");
        }
        if (!batch.isCrcValid()) {
            throw InvalidBatchException.corrupt("Record batch is corrupt: stored CRC " + batch.storedCrc()
                    + " does not match computed CRC " + batch.computeCrc());
        }
        return BatchView.LOG_OVERHEAD + length;
    }
}
