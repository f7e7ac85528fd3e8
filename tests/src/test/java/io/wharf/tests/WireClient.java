package io.wharf.tests;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One plain socket to a broker that sends a request at a chosen version and reads its response, for what the Admin
 * client cannot express: legacy APIs it no longer sends, raw fields, and requests it would refuse to build.
 */
final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int correlationId;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    static WireClient connect(TestBroker broker) throws IOException {
        String[] hostPort = broker.bootstrapServers().split(":");
        Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setSoTimeout(30_000);
        return new WireClient(socket);
    }

    @SuppressWarnings("unchecked")
    <T extends AbstractResponse> T send(AbstractRequest.Builder<?> builder, short version) throws IOException {
        RequestHeader header = new RequestHeader(builder.apiKey(), version, "wire-client", ++correlationId);
        ByteBuffer frame = builder.build(version).serializeWithHeader(header);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        return (T) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
