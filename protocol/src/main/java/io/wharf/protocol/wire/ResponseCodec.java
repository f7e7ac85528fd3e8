package io.wharf.protocol.wire;

import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Writes responses: header and body in one buffer, with file-backed records as separate zero-copy parts; and, for
 * the broker's own clients, reads them.
 */
public final class ResponseCodec {

    private ResponseCodec() {}

    /** Encodes {@code response} at the request's version. */
    public static ResponseFrame encode(KafkaRequest request, ApiMessage response) {
        return encode(request, response, request.version());
    }

    /** Encodes {@code response} at {@code version} (ApiVersions answers a too-new request at version 0). */
    public static ResponseFrame encode(KafkaRequest request, ApiMessage response, short version) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.correlationId());
        short headerVersion = request.apiKey().responseHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        response.addSize(size, cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size.sizeExcludingZeroCopy());
        FrameWriter writer = new FrameWriter(buffer);
        header.write(writer, cache, headerVersion);
        response.write(writer, cache, version);
        return ResponseFrame.of(writer.finish());
    }

    /**
     * Reads a response frame (without its 4-byte size) to a request of {@code apiKey} at {@code version}.
     *
     * @throws MalformedRequestException when the bytes are not such a response
     */
    public static ApiMessage decode(ApiKeys apiKey, short version, ByteBuffer frame) {
        ByteBuffer buffer = frame.duplicate();
        try {
            ResponseHeader.parse(buffer, apiKey.responseHeaderVersion(version));
            return AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(buffer), version)
                    .data();
        } catch (RuntimeException e) {
            throw new MalformedRequestException("Unreadable " + apiKey + " v" + version + " response", e);
        }
    }
}
