package io.wharf.protocol.wire;

import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Writes responses: header and body in one buffer, with file-backed records as separate zero-copy parts. */
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
}
