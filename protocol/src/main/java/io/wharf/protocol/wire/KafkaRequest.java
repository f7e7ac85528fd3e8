package io.wharf.protocol.wire;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * A decoded request: what the header says and the body as kafka-clients' generated message. The body may refer to
 * the frame's bytes (produce records do), so it is valid only while the frame is.
 */
public final class KafkaRequest {

    private final ApiKeys apiKey;
    private final short version;
    private final int correlationId;
    private final String clientId;
    private final AbstractRequest parsed;

    KafkaRequest(ApiKeys apiKey, short version, int correlationId, String clientId, AbstractRequest parsed) {
        this.apiKey = apiKey;
        this.version = version;
        this.correlationId = correlationId;
        this.clientId = clientId;
        this.parsed = parsed;
    }

    public ApiKeys apiKey() {
        return apiKey;
    }

    public short version() {
        return version;
    }

    public int correlationId() {
        return correlationId;
    }

    /** The client's self-chosen name; may be null. */
    public String clientId() {
        return clientId;
    }

    /** Whether the body could not be read because the version is outside what kafka-clients knows. */
    public boolean isUnsupportedVersion() {
        return parsed == null;
    }

    /** The body as the generated message type its handler expects. */
    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T body() {
        return parsed == null ? null : (T) parsed.data();
    }

    /**
     * The response that answers this whole request with one error, built the way Kafka builds it for this API (a
     * top-level error code, or the code on every partition, as the API defines).
     */
    public ApiMessage errorResponse(Errors error, String message) {
        if (parsed == null) {
            throw new IllegalStateException("no error response for an unreadable " + apiKey + " v" + version);
        }
        return parsed.getErrorResponse(0, error.exception(message)).data();
    }

    @Override
    public String toString() {
        return apiKey + " v" + version + " #" + correlationId + " from " + clientId;
    }
}
