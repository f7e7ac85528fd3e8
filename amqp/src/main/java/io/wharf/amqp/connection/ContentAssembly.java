package io.wharf.amqp.connection;

import com.rabbitmq.client.impl.AMQImpl;
import io.wharf.amqp.codec.AmqpException;
import io.wharf.amqp.codec.MethodCodec;
import io.wharf.amqp.codec.ReplyCode;
import io.wharf.amqp.model.Message;

/**
 * Gathers one published message from its frames: the basic.publish method, the content header (its body size checked
 * against the limit), then body frames until the header's size is reached. Broker thread only.
 */
final class ContentAssembly {

    private final int messageMaxBytes;
    private AMQImpl.Basic.Publish publish;
    private byte[] header;
    private MethodCodec.ContentHeader content;
    private byte[] body;
    private int bodyRead;

    ContentAssembly(int messageMaxBytes) {
        this.messageMaxBytes = messageMaxBytes;
    }

    void start(AMQImpl.Basic.Publish method) {
        this.publish = method;
    }

    /** Reads the content header; returns whether the message is complete (an empty body). */
    boolean header(byte[] payload) {
        content = MethodCodec.decodeHeader(payload);
        if (content.bodySize() > messageMaxBytes) {
            throw AmqpException.channel(
                    ReplyCode.PRECONDITION_FAILED,
                    "message size " + content.bodySize() + " is larger than the maximum " + messageMaxBytes);
        }
        header = payload;
        body = new byte[(int) content.bodySize()];
        bodyRead = 0;
        return body.length == 0;
    }

    /** Adds a body frame; returns whether the message is complete. */
    boolean body(byte[] payload) {
        if (bodyRead + payload.length > body.length) {
            throw AmqpException.connection(
                    ReplyCode.FRAME_ERROR, "content body longer than the header's body size", 60, 40);
        }
        System.arraycopy(payload, 0, body, bodyRead, payload.length);
        bodyRead += payload.length;
        return bodyRead == body.length;
    }

    AMQImpl.Basic.Publish publish() {
        return publish;
    }

    /** The complete message; the assembly is empty again. */
    Message take() {
        Message message =
                new Message(publish.getExchange(), publish.getRoutingKey(), header, content.properties(), body);
        publish = null;
        header = null;
        content = null;
        body = null;
        return message;
    }
}
