package io.wharf.storage.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The bytes of the journal. Every number is big-endian, as in Kafka's own formats.
 *
 * <pre>
 * journal/
 *   00000000000000000007.journal   file sequence 7 (20 digits), preallocated to wharf.journal.file.bytes of zeros
 *   00000000000000000008.journal   the next file, prepared ahead: zeroed, or a recycled older file renamed
 *   checkpoint                     where replay starts, replaced atomically ({@link JournalCheckpoint})
 *
 * file header, at position 0 (16 bytes)
 *   0   int32  magic 0x574A4E4C ("WJNL")
 *   4   int16  format version 1
 *   6   int16  0
 *   8   int64  file sequence (the same as the name)
 *
 * entry, from position 16 on, one after the other (36-byte header, then the payload)
 *   0   int32  entry length, header included
 *   4   int32  CRC32C of bytes 8 .. length
 *   8   int64  file sequence: a recycled file's earlier entries carry an older one and end the scan
 *  16   int16  type: 1 APPEND, 2 TRUNCATE, 3 FILE_END (explicit codes, never an enum's ordinal)
 *  18   int16  0
 *  20   int64  log id of the partition ({@code partition.state}); 0 for FILE_END
 *  28   int64  APPEND: the base offset of the first batch; TRUNCATE: the log end after the cut; FILE_END: 0
 *  36   bytes  APPEND: record batches exactly as written to the segment; nothing for the other types
 * </pre>
 *
 * <p>A position in the journal is a single {@code long}, its LSN: the file sequence in the high 32 bits and the
 * position in that file in the low 32. LSNs grow with every entry, across files, so "durable up to LSN x" is one
 * number. A writer always leaves room for a FILE_END entry, and writes one before it moves to the next file: a scan
 * that meets anything else that does not check out (zeros, a torn or stale entry) has reached the end of the journal.
 */
public final class JournalFormat {

    public static final int MAGIC = 0x574A4E4C;
    public static final short VERSION = 1;
    public static final int FILE_HEADER_BYTES = 16;
    public static final int ENTRY_HEADER_BYTES = 36;
    public static final String FILE_SUFFIX = ".journal";

    /** Entry types as stored. */
    public static final short APPEND = 1;

    public static final short TRUNCATE = 2;
    public static final short FILE_END = 3;

    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 8;
    static final int TYPE_OFFSET = 16;
    static final int LOG_ID_OFFSET = 20;
    static final int OFFSET_OFFSET = 28;

    private JournalFormat() {}

    public static long lsn(long fileSequence, int position) {
        return (fileSequence << 32) | (position & 0xFFFFFFFFL);
    }

    public static long fileSequence(long lsn) {
        return lsn >>> 32;
    }

    public static int position(long lsn) {
        return (int) lsn;
    }

    public static String fileName(long sequence) {
        return String.format("%020d%s", sequence, FILE_SUFFIX);
    }

    /** The 16 bytes at the start of file {@code sequence}. */
    static ByteBuffer fileHeader(long sequence) {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_BYTES);
        header.putInt(MAGIC)
                .putShort(VERSION)
                .putShort((short) 0)
                .putLong(sequence)
                .flip();
        return header;
    }

    /** Whether {@code header} (16 bytes from position 0) is the header of file {@code sequence}. */
    static boolean isFileHeader(ByteBuffer header, long sequence) {
        return header.remaining() >= FILE_HEADER_BYTES
                && header.getInt(0) == MAGIC
                && header.getShort(4) == VERSION
                && header.getLong(8) == sequence;
    }

    /**
     * Fills {@code header} (36 bytes, position 0) for an entry with {@code payload}, CRC included; the payload's
     * position and limit are not moved.
     */
    static ByteBuffer entryHeader(
            ByteBuffer header, long fileSequence, short type, long logId, long offset, ByteBuffer payload) {
        header.clear();
        header.putInt(ENTRY_HEADER_BYTES + payload.remaining())
                .putInt(0)
                .putLong(fileSequence)
                .putShort(type)
                .putShort((short) 0)
                .putLong(logId)
                .putLong(offset)
                .flip();
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(SEQUENCE_OFFSET));
        crc.update(payload.duplicate());
        header.putInt(CRC_OFFSET, (int) crc.getValue());
        return header;
    }

    /** The CRC an entry should carry, computed over {@code entry} (a whole entry, from its position). */
    static int computeCrc(ByteBuffer entry) {
        CRC32C crc = new CRC32C();
        crc.update(entry.duplicate().position(entry.position() + SEQUENCE_OFFSET));
        return (int) crc.getValue();
    }
}
