package io.wharf.tests;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A bare Kafka-protocol connection for tests that must send exact requests (a replayed produce, a chosen version) or
 * raw bytes (garbage), which the real clients never send.
 */
public final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlationId;

    public WireClient(String bootstrapServers) throws IOException {
        String[] hostPort = bootstrapServers.split(":");
        socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setSoTimeout(10_000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    static WireClient connect(TestBroker broker) throws IOException {
        return new WireClient(broker.bootstrapServers());
    }

    /** Sends a request built by kafka-clients' request builder at {@code version} and parses the response. */
    @SuppressWarnings("unchecked")
    <T extends AbstractResponse> T send(AbstractRequest.Builder<?> builder, short version) throws IOException {
        RequestHeader header = new RequestHeader(builder.apiKey(), version, "wharf-wire-test", ++correlationId);
        ByteBuffer frame = builder.build(version).serializeWithHeader(header);
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        sendRaw(bytes);
        return (T) AbstractResponse.parseResponse(ByteBuffer.wrap(receiveRaw()), header);
    }

    /** Sends {@code request} at {@code version} and reads the response. */
    public <T extends ApiMessage> T send(ApiKeys key, short version, ApiMessage request) throws IOException {
        int id = sendOnly(key, version, request);
        return receive(key, version, id);
    }

    /** Sends {@code request} at {@code version} without waiting for its response; returns its correlation id. */
    int sendOnly(ApiKeys key, short version, ApiMessage request) throws IOException {
        int id = ++correlationId;
        RequestHeader header = new RequestHeader(key, version, "wharf-wire-test", id);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = key.requestHeaderVersion(version);
        int size = header.data().size(cache, headerVersion) + request.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, headerVersion);
        request.write(accessor, cache, version);
        sendRaw(buffer.array());
        return id;
    }

    /** Reads the next response, which must be the one to the request with correlation id {@code id}. */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T receive(ApiKeys key, short version, int id) throws IOException {
        ByteBuffer response = ByteBuffer.wrap(receiveRaw());
        ByteBufferAccessor reader = new ByteBufferAccessor(response);
        ResponseHeaderData responseHeader = new ResponseHeaderData(reader, key.responseHeaderVersion(version));
        if (responseHeader.correlationId() != id) {
            throw new IOException("correlation id " + responseHeader.correlationId() + ", expected " + id);
        }
        ApiMessage body = ApiMessageType.fromApiKey(key.id).newResponse();
        body.read(reader, version);
        return (T) body;
    }

    /** Writes one frame: the size, then {@code frame}. */
    void sendRaw(byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    /** Writes bytes exactly as given, with no size prefix. */
    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    byte[] receiveRaw() throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return bytes;
    }

    /** Whether the broker has closed the connection (reads end of stream within the socket timeout). */
    boolean isClosedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
