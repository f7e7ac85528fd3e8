package io.wharf.network;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.Endpoint;
import io.wharf.protocol.wire.FramePart;
import io.wharf.protocol.wire.ResponseFrame;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against a scripted processor and raw sockets: the processor answers each frame (an ASCII word) when the
 * test says so, so ordering, limits and back-pressure can be observed exactly.
 */
class NetworkServerTest {

    private final Map<String, CompletableFuture<ResponseFrame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger processed = new AtomicInteger();
    private NetworkServer server;

    @TempDir
    Path dir;

    /** Echoes "word" back at once, except words starting with "wait-", which wait for {@link #answer(String)}. */
    private final RequestProcessor processor = (connection, frame) -> {
        processed.incrementAndGet();
        String word = UTF_8.decode(frame.duplicate()).toString();
        if (word.startsWith("wait-")) {
            return pending.computeIfAbsent(word, w -> new CompletableFuture<>());
        }
        if (word.equals("none")) {
            return CompletableFuture.completedFuture(ResponseFrame.NONE);
        }
        if (word.equals("fail")) {
            return CompletableFuture.failedFuture(new IllegalStateException("boom"));
        }
        return CompletableFuture.completedFuture(bytes("re:" + word));
    };

    private static ResponseFrame bytes(String text) {
        return ResponseFrame.of(List.of(new FramePart.Bytes(ByteBuffer.wrap(text.getBytes(UTF_8)))));
    }

    private void answer(String word) {
        await().atMost(Duration.ofSeconds(5)).until(() -> pending.containsKey(word));
        pending.get(word).complete(bytes("re:" + word));
    }

    private int start(int maxFrameBytes, int maxInFlight, long memoryBytes, long idleMs) throws Exception {
        server = new NetworkServer(
                new NetworkConfig(
                        List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 0)),
                        maxFrameBytes,
                        idleMs,
                        maxInFlight,
                        memoryBytes,
                        2),
                processor);
        server.start();
        return server.boundPort("PLAINTEXT");
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static void send(Socket socket, String word) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        byte[] bytes = word.getBytes(UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static String receive(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return new String(bytes, UTF_8);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        return socket;
    }

    @Test
    void responsesLeaveInRequestOrderEvenWhenTheyCompleteOutOfOrder() throws Exception {
        int port = start(1 << 20, 16, 1 << 20, 60_000);
        try (Socket socket = connect(port)) {
            send(socket, "wait-1");
            send(socket, "quick");
            send(socket, "wait-2");
            send(socket, "none");
            send(socket, "last");
            answer("wait-2");
            socket.setSoTimeout(300);
            try {
                receive(socket);
                throw new AssertionError("a response overtook an unanswered earlier request");
            } catch (SocketTimeoutException expected) {
                // nothing may be sent while the first request is unanswered
            }
            socket.setSoTimeout(5000);
            answer("wait-1");
            assertThat(List.of(receive(socket), receive(socket), receive(socket), receive(socket)))
                    .containsExactly("re:wait-1", "re:quick", "re:wait-2", "re:last");
        }
    }

    @Test
    void aConnectionIsNotReadPastItsInFlightLimit() throws Exception {
        int port = start(1 << 20, 2, 1 << 20, 60_000);
        try (Socket socket = connect(port)) {
            send(socket, "wait-a");
            send(socket, "wait-b");
            send(socket, "third");
            await().atMost(Duration.ofSeconds(5)).until(() -> processed.get() == 2);
            Thread.sleep(200);
            assertThat(processed.get()).as("the third request is not read yet").isEqualTo(2);

            answer("wait-a");
            await().atMost(Duration.ofSeconds(5)).until(() -> processed.get() == 3);
            answer("wait-b");
            assertThat(List.of(receive(socket), receive(socket), receive(socket)))
                    .containsExactly("re:wait-a", "re:wait-b", "re:third");
        }
    }

    @Test
    void anOversizedFrameClosesOnlyItsConnection() throws Exception {
        int port = start(64, 16, 1 << 20, 60_000);
        try (Socket bad = connect(port);
                Socket good = connect(port)) {
            DataOutputStream out = new DataOutputStream(bad.getOutputStream());
            out.writeInt(65);
            out.write(new byte[65]);
            out.flush();
            assertThat(bad.getInputStream().read()).as("closed by the server").isEqualTo(-1);

            send(good, "still-here");
            assertThat(receive(good)).isEqualTo("re:still-here");
        }
    }

    @Test
    void aNegativeFrameSizeClosesTheConnection() throws Exception {
        int port = start(1 << 20, 16, 1 << 20, 60_000);
        try (Socket socket = connect(port)) {
            new DataOutputStream(socket.getOutputStream()).writeInt(-5);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailedRequestClosesTheConnectionAfterEarlierResponses() throws Exception {
        int port = start(1 << 20, 16, 1 << 20, 60_000);
        try (Socket socket = connect(port)) {
            send(socket, "first");
            send(socket, "fail");
            send(socket, "after");
            assertThat(receive(socket)).isEqualTo("re:first");
            try {
                receive(socket);
                throw new AssertionError("nothing may follow a failed request");
            } catch (EOFException expected) {
                // closed
            }
        }
    }

    @Test
    void requestMemoryIsBoundedAcrossConnections() throws Exception {
        int port = start(1 << 20, 16, 100, 60_000);
        try (Socket first = connect(port);
                Socket second = connect(port)) {
            send(first, "wait-" + "x".repeat(80));
            await().atMost(Duration.ofSeconds(5)).until(() -> processed.get() == 1);
            send(second, "y".repeat(60));
            Thread.sleep(300);
            assertThat(processed.get())
                    .as("no room for the second frame while the first is held")
                    .isEqualTo(1);
            assertThat(server.requestMemoryUsed()).isLessThanOrEqualTo(100);

            answer("wait-" + "x".repeat(80));
            assertThat(receive(first)).startsWith("re:wait-");
            assertThat(receive(second)).isEqualTo("re:" + "y".repeat(60));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.requestMemoryUsed() == 0);
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        int port = start(1 << 20, 16, 1 << 20, 200);
        try (Socket socket = connect(port)) {
            send(socket, "hello");
            assertThat(receive(socket)).isEqualTo("re:hello");
            assertThat(socket.getInputStream().read()).as("closed after idling").isEqualTo(-1);
        }
    }

    @Test
    void fileRegionsAreSentAsTheyAreOnDiskAndTheFileStaysOpen() throws Exception {
        Path file = dir.resolve("segment");
        Files.write(file, "0123456789abcdefghij".getBytes(UTF_8));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            server = new NetworkServer(
                    new NetworkConfig(
                            List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 0)), 1 << 20, 60_000, 16, 1 << 20, 1),
                    (connection, frame) -> CompletableFuture.completedFuture(ResponseFrame.of(List.of(
                            new FramePart.Bytes(ByteBuffer.wrap("head:".getBytes(UTF_8))),
                            new FramePart.FileRegion(channel, 5, 10),
                            new FramePart.Bytes(ByteBuffer.wrap(":tail".getBytes(UTF_8)))))));
            server.start();
            try (Socket socket = connect(server.boundPort("PLAINTEXT"))) {
                send(socket, "a");
                send(socket, "b");
                assertThat(receive(socket)).isEqualTo("head:56789abcde:tail");
                assertThat(receive(socket)).isEqualTo("head:56789abcde:tail");
            }
            assertThat(channel.isOpen())
                    .as("sending a region must not close the log's file")
                    .isTrue();
        }
    }

    @Test
    void inFlightRequestsAreAnsweredBeforeShutdown() throws Exception {
        int port = start(1 << 20, 16, 1 << 20, 60_000);
        try (Socket socket = connect(port)) {
            send(socket, "wait-slow");
            await().atMost(Duration.ofSeconds(5)).until(() -> processed.get() == 1);
            server.stopAccepting();
            assertThat(server.inFlightRequests()).isEqualTo(1);
            new Thread(() -> {
                        sleep(200);
                        answer("wait-slow");
                    })
                    .start();
            assertThat(server.awaitInFlight(5000)).isTrue();
            assertThat(receive(socket)).isEqualTo("re:wait-slow");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
