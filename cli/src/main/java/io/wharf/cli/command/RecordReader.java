package io.wharf.cli.command;

import io.wharf.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into records at a separator of one or more bytes, without reading more than one buffer ahead and
 * without holding more than one record, which may be at most {@code maxRecordBytes} long. Input that ends with the
 * separator has no empty record after it. With the default separator, {@code \n}, a {@code \r} before it is dropped,
 * so files with Windows line ends read the same. One thread.
 */
final class RecordReader {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final byte[] separator;
    private final int[] fallback;
    private final int maxRecordBytes;
    private final boolean dropCarriageReturn;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private byte[] record = new byte[256];
    private int length;
    private long records;

    RecordReader(InputStream in, byte[] separator, int maxRecordBytes) {
        this.in = in;
        this.separator = separator.clone();
        this.fallback = failureFunction(separator);
        this.maxRecordBytes = maxRecordBytes;
        this.dropCarriageReturn = separator.length == 1 && separator[0] == '\n';
    }

    /**
     * The next record, or null at the end of the input.
     *
     * @throws CliException when a record is longer than the limit
     */
    byte[] next() throws IOException {
        length = 0;
        int matched = 0;
        boolean consumed = false;
        while (true) {
            if (position == limit && !fill()) {
                if (!consumed) {
                    return null;
                }
                // The input ended inside a partial separator: those bytes belong to the record.
                for (int i = 0; i < matched; i++) {
                    append(separator[i]);
                }
                return finish();
            }
            byte b = buffer[position++];
            consumed = true;
            // Knuth-Morris-Pratt, so that a separator like "aab" is found in "aaab" without re-reading input.
            while (matched > 0 && b != separator[matched]) {
                int keep = fallback[matched - 1];
                for (int i = 0; i < matched - keep; i++) {
                    append(separator[i]);
                }
                matched = keep;
            }
            if (b == separator[matched]) {
                matched++;
                if (matched == separator.length) {
                    return finish();
                }
            } else {
                append(b);
            }
        }
    }

    /** How many records {@link #next()} has returned. */
    long records() {
        return records;
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read <= 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private void append(byte b) {
        if (length == maxRecordBytes) {
            throw CliException.usage(
                    "record " + (records + 1) + " is longer than --max-record-bytes (" + maxRecordBytes + ")");
        }
        if (length == record.length) {
            record = Arrays.copyOf(record, (int) Math.min((long) maxRecordBytes, 2L * record.length));
        }
        record[length++] = b;
    }

    private byte[] finish() {
        records++;
        int end = length;
        if (dropCarriageReturn && end > 0 && record[end - 1] == '\r') {
            end--;
        }
        return Arrays.copyOf(record, end);
    }

    /** For each prefix of the separator, the length of its longest proper prefix that is also its suffix. */
    private static int[] failureFunction(byte[] pattern) {
        int[] fallback = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = fallback[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            fallback[i] = k;
        }
        return fallback;
    }
}
