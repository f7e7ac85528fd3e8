package io.wharf.protocol.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/** Reads (and, for the broker's own clients, writes) request frames: header, then body, with kafka-clients' generated message classes. */
public final class RequestCodec {

    private static final int MIN_HEADER_BYTES = 8;

    private RequestCodec() {}

    /** Initializes kafka-clients' protocol tables (every API's message schemas), which takes a while the first time. */
    public static void preload() {
        ApiKeys.values();
    }

    /** Encodes a request as a frame (without the 4-byte size): the header for its version, then the body. */
    public static ByteBuffer encode(ApiMessage body, short version, String clientId, int correlationId) {
        ApiKeys apiKey = ApiKeys.forId(body.apiKey());
        RequestHeader header = new RequestHeader(apiKey, version, clientId, correlationId);
        return RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
    }

    /**
     * Decodes one frame (the bytes after the 4-byte size). A version that kafka-clients cannot read is reported by
     * {@link KafkaRequest#isUnsupportedVersion()} rather than thrown, so the caller can answer it.
     *
     * @throws MalformedRequestException when the bytes are not a request of a known API
     */
    public static KafkaRequest decode(ByteBuffer frame) {
        ByteBuffer buffer = frame.duplicate();
        if (buffer.remaining() < MIN_HEADER_BYTES) {
            throw new MalformedRequestException("Frame of " + buffer.remaining() + " bytes is shorter than a header");
        }
        short apiKeyId = buffer.getShort(buffer.position());
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new MalformedRequestException("Unknown API key " + apiKeyId);
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        short version = buffer.getShort(buffer.position() + 2);
        RequestHeader header;
        try {
            header = RequestHeader.parse(buffer);
        } catch (RuntimeException e) {
            throw new MalformedRequestException("Unreadable " + apiKey + " v" + version + " header", e);
        }
        if (version < apiKey.messageType.lowestSupportedVersion()
                || version > apiKey.messageType.highestSupportedVersion(true)) {
            return new KafkaRequest(apiKey, version, header.correlationId(), header.clientId(), null);
        }
        try {
            AbstractRequest request =
                    AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(buffer)).request;
            return new KafkaRequest(apiKey, version, header.correlationId(), header.clientId(), request);
        } catch (BufferUnderflowException | IllegalArgumentException | IllegalStateException e) {
            throw new MalformedRequestException("Unreadable " + apiKey + " v" + version + " body", e);
        } catch (RuntimeException e) {
            throw new MalformedRequestException(
                    "Unreadable " + apiKey + " v" + version + " body: " + e.getMessage(), e);
        }
    }
}
