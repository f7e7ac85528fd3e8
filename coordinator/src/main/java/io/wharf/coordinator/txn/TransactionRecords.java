package io.wharf.coordinator.txn;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The records of {@code __transaction_state}: one per transactional id, each replacing the one before, and a
 * tombstone (no value) when the id expires. Big-endian; strings are an int16 length and UTF-8 bytes.
 *
 * <pre>
 * key
 *   int16   version (0)
 *   int16   type (1: transaction)
 *   string  transactional id
 * value
 *   int16   version (1; version 0, written before transaction version 2, is read too)
 *   int64   producer id
 *   int16   producer epoch
 *   int32   transaction timeout ms
 *   int8    state ({@link TransactionState#code()})
 *   int64   start ms (-1: no transaction)
 *   int64   last update ms
 *   int32   partition count
 *   per partition: string topic, int32 partition
 *   int64   previous producer id (-1: none)      version 1 on
 *   int64   next producer id (-1: none)          version 1 on
 *   int16   last producer epoch (-1: none)       version 1 on
 * </pre>
 */
final class TransactionRecords {

    static final short TYPE_TRANSACTION = 1;
    private static final short VERSION = 0;
    private static final short VALUE_VERSION_0 = 0;
    private static final short VALUE_VERSION = 1;

    private TransactionRecords() {}

    static CoordinatorRecord record(TransactionMetadata metadata) {
        return new CoordinatorRecord(key(metadata.transactionalId()), value(metadata));
    }

    static CoordinatorRecord tombstone(String transactionalId) {
        return new CoordinatorRecord(key(transactionalId), null);
    }

    static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + 2 + id.length)
                .putShort(VERSION)
                .putShort(TYPE_TRANSACTION)
                .putShort((short) id.length)
                .put(id)
                .array();
    }

    /** The transactional id of a key. @throws IllegalArgumentException for a key of another version or type */
    static String transactionalId(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        short version = buffer.getShort();
        short type = buffer.getShort();
        if (version != VERSION || type != TYPE_TRANSACTION) {
            throw new IllegalArgumentException("unknown transaction record key v" + version + " type " + type);
        }
        return readString(buffer);
    }

    static byte[] value(TransactionMetadata metadata) {
        Set<TopicPartition> partitions = metadata.sortedPartitions();
        int size = 2 + 8 + 2 + 4 + 1 + 8 + 8 + 4 + 8 + 8 + 2;
        for (TopicPartition tp : partitions) {
            size += 2 + tp.topic().getBytes(StandardCharsets.UTF_8).length + 4;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size)
                .putShort(VALUE_VERSION)
                .putLong(metadata.producerId())
                .putShort(metadata.producerEpoch())
                .putInt(metadata.timeoutMs())
                .put((byte) metadata.state().code())
                .putLong(metadata.startMs())
                .putLong(metadata.lastUpdateMs())
                .putInt(partitions.size());
        for (TopicPartition tp : partitions) {
            byte[] topic = tp.topic().getBytes(StandardCharsets.UTF_8);
            buffer.putShort((short) topic.length).put(topic).putInt(tp.partition());
        }
        buffer.putLong(metadata.previousProducerId())
                .putLong(metadata.nextProducerId())
                .putShort(metadata.lastProducerEpoch());
        return buffer.array();
    }

    static TransactionMetadata metadata(String transactionalId, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        short version = buffer.getShort();
        if (version != VALUE_VERSION_0 && version != VALUE_VERSION) {
            throw new IllegalArgumentException("unknown transaction record value version " + version);
        }
        long producerId = buffer.getLong();
        short epoch = buffer.getShort();
        int timeoutMs = buffer.getInt();
        TransactionState state = TransactionState.ofCode(buffer.get());
        long startMs = buffer.getLong();
        long lastUpdateMs = buffer.getLong();
        int count = buffer.getInt();
        if (count < 0 || count > buffer.remaining() / 6) {
            throw new IllegalArgumentException("invalid partition count " + count);
        }
        Set<TopicPartition> partitions = new HashSet<>();
        for (int i = 0; i < count; i++) {
            partitions.add(new TopicPartition(readString(buffer), buffer.getInt()));
        }
        long previousProducerId = version >= VALUE_VERSION ? buffer.getLong() : -1;
        long nextProducerId = version >= VALUE_VERSION ? buffer.getLong() : -1;
        short lastProducerEpoch = version >= VALUE_VERSION ? buffer.getShort() : -1;
        return new TransactionMetadata(
                transactionalId,
                producerId,
                epoch,
                previousProducerId,
                nextProducerId,
                lastProducerEpoch,
                timeoutMs,
                state,
                partitions,
                startMs,
                lastUpdateMs);
    }

    private static String readString(ByteBuffer buffer) {
        int length = buffer.getShort();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("invalid string length " + length);
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
