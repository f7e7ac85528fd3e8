package io.wharf.amqp.store;

import io.wharf.amqp.codec.MethodCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The byte layout of {@link StateRecord}s, big-endian:
 *
 * <pre>
 * version:int8 (0)  type:int8  fields...
 *   1 exchange declared  name:str  type:int8 (1 direct, 2 fanout, 3 topic, 4 headers)  flags:int8 (1 auto-delete,
 *                        2 internal)  arguments:table
 *   2 exchange deleted   name:str
 *   3 queue declared     name:str  flags:int8 (1 auto-delete)  arguments:table  topic:str  from-offset:int64
 *   4 queue deleted      name:str
 *   5 binding added      source:str  destination:str  to-queue:int8  key:str  arguments:table
 *   6 binding removed    (as 5)
 *   7 settled            queue:str  offset:int64
 * str   = length:int16 + UTF-8 bytes
 * table = length:int32 + an AMQP field table's bytes
 * </pre>
 *
 * The codes are fixed; a new kind of record gets a new code.
 */
public final class StateRecordCodec {

    static final byte VERSION = 0;
    static final byte EXCHANGE_DECLARED = 1;
    static final byte EXCHANGE_DELETED = 2;
    static final byte QUEUE_DECLARED = 3;
    static final byte QUEUE_DELETED = 4;
    static final byte BINDING_ADDED = 5;
    static final byte BINDING_REMOVED = 6;
    static final byte SETTLED = 7;

    private StateRecordCodec() {}

    public static byte[] encode(StateRecord record) {
        Writer out = new Writer();
        out.byte8(VERSION);
        if (record instanceof StateRecord.ExchangeDeclared r) {
            out.byte8(EXCHANGE_DECLARED).str(r.name()).byte8(r.typeCode());
            out.byte8((r.autoDelete() ? 1 : 0) | (r.internal() ? 2 : 0)).table(r.arguments());
        } else if (record instanceof StateRecord.ExchangeDeleted r) {
            out.byte8(EXCHANGE_DELETED).str(r.name());
        } else if (record instanceof StateRecord.QueueDeclared r) {
            out.byte8(QUEUE_DECLARED)
                    .str(r.name())
                    .byte8(r.autoDelete() ? 1 : 0)
                    .table(r.arguments())
                    .str(r.topic())
                    .int64(r.fromOffset());
        } else if (record instanceof StateRecord.QueueDeleted r) {
            out.byte8(QUEUE_DELETED).str(r.name());
        } else if (record instanceof StateRecord.BindingChanged r) {
            out.byte8(r.added() ? BINDING_ADDED : BINDING_REMOVED)
                    .str(r.source())
                    .str(r.destination());
            out.byte8(r.toQueue() ? 1 : 0).str(r.key()).table(r.arguments());
        } else if (record instanceof StateRecord.Settled r) {
            out.byte8(SETTLED).str(r.queue()).int64(r.offset());
        }
        return out.bytes();
    }

    /** @throws IllegalArgumentException for an unknown version or type, or bytes cut short */
    public static StateRecord decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown AMQP state record version " + version);
            }
            byte type = in.get();
            return switch (type) {
                case EXCHANGE_DECLARED -> {
                    String name = str(in);
                    int typeCode = in.get();
                    int flags = in.get();
                    yield new StateRecord.ExchangeDeclared(
                            name, typeCode, (flags & 1) != 0, (flags & 2) != 0, table(in));
                }
                case EXCHANGE_DELETED -> new StateRecord.ExchangeDeleted(str(in));
                case QUEUE_DECLARED -> {
                    String name = str(in);
                    int flags = in.get();
                    yield new StateRecord.QueueDeclared(name, (flags & 1) != 0, table(in), str(in), in.getLong());
                }
                case QUEUE_DELETED -> new StateRecord.QueueDeleted(str(in));
                case BINDING_ADDED, BINDING_REMOVED ->
                    new StateRecord.BindingChanged(
                            type == BINDING_ADDED, str(in), str(in), in.get() != 0, str(in), table(in));
                case SETTLED -> new StateRecord.Settled(str(in), in.getLong());
                default -> throw new IllegalArgumentException("unknown AMQP state record type " + type);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("AMQP state record cut short", e);
        }
    }

    private static String str(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xffff];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> table(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        Map<String, Object> table = MethodCodec.readTableBody(bytes);
        if (table == null) {
            throw new IllegalArgumentException("malformed arguments table");
        }
        return table;
    }

    private static final class Writer {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        Writer byte8(int value) {
            out.write(value);
            return this;
        }

        Writer str(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Writer int64(long value) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(value).array());
            return this;
        }

        Writer table(Map<String, Object> table) {
            byte[] bytes = MethodCodec.writeTableBody(table);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
