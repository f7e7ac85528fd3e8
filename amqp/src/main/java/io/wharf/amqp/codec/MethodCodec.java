package io.wharf.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.UnknownClassOrMethodId;
import com.rabbitmq.client.impl.AMQContentHeader;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Method;
import com.rabbitmq.client.impl.ValueReader;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Reads and writes method frames' and content-header frames' payloads with amqp-client's generated classes. Every
 * malformed payload becomes an {@link AmqpException} with the spec's reply code, never another exception. Stateless
 * and thread-safe.
 */
public final class MethodCodec {

    /** The class id of {@code basic}, the only class with content. */
    public static final int BASIC_CLASS = 60;

    private MethodCodec() {}

    /**
     * @throws AmqpException 540 NOT_IMPLEMENTED for an unknown class or method, 502 SYNTAX_ERROR for arguments that do
     *     not parse
     */
    public static Method decode(byte[] payload) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            Method method = AMQImpl.readMethodFrom(in);
            return method;
        } catch (UnknownClassOrMethodId e) {
            throw AmqpException.connection(ReplyCode.NOT_IMPLEMENTED, "unknown method " + e.getMessage(), 0, 0);
        } catch (IOException | RuntimeException e) {
            throw AmqpException.connection(ReplyCode.SYNTAX_ERROR, "malformed method frame", classOf(payload), 0);
        }
    }

    public static byte[] encode(Method method) {
        try {
            return method.toFrame(0).getPayload();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a content header's properties and body size.
     *
     * @throws AmqpException 502 SYNTAX_ERROR when it does not parse, 503 COMMAND_INVALID when it is not basic's
     */
    public static ContentHeader decodeHeader(byte[] payload) {
        if (classOf(payload) != BASIC_CLASS) {
            throw AmqpException.connection(
                    ReplyCode.COMMAND_INVALID, "content header of a class other than basic", 0, 0);
        }
        try {
            AMQContentHeader header =
                    AMQImpl.readContentHeaderFrom(new DataInputStream(new ByteArrayInputStream(payload)));
            if (header.getBodySize() < 0) {
                throw new IOException("negative body size");
            }
            return new ContentHeader((AMQP.BasicProperties) header, header.getBodySize());
        } catch (IOException | RuntimeException e) {
            throw AmqpException.connection(ReplyCode.SYNTAX_ERROR, "malformed content header", BASIC_CLASS, 0);
        }
    }

    /** Writes a content header (basic's) for properties a broker made itself, such as a dead letter's. */
    public static byte[] encodeHeader(AMQP.BasicProperties properties, long bodySize) {
        try {
            return properties.toFrame(0, bodySize).getPayload();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a field table given without its length prefix (an AMQPLAIN response); null when it does not parse. */
    public static Map<String, Object> readTableBody(byte[] body) {
        byte[] framed = new byte[body.length + 4];
        ByteBuffer.wrap(framed).putInt(body.length).put(body);
        try {
            return new ValueReader(new DataInputStream(new ByteArrayInputStream(framed))).readTable();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Writes a field table without its length prefix. */
    public static byte[] writeTableBody(Map<String, Object> table) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            new com.rabbitmq.client.impl.ValueWriter(new java.io.DataOutputStream(out)).writeTable(table);
            byte[] framed = out.toByteArray();
            return java.util.Arrays.copyOfRange(framed, 4, framed.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int classOf(byte[] payload) {
        return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 0;
    }

    /** A content header, read. */
    public record ContentHeader(AMQP.BasicProperties properties, long bodySize) {}
}
