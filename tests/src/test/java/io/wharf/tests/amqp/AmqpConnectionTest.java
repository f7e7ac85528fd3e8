package io.wharf.tests.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connection's negotiation, heartbeats and the memory limit's connection.blocked. */
class AmqpConnectionTest {

    @Test
    void serverPropertiesAndNegotiatedLimits() throws Exception {
        try (AmqpBrokerFixture broker = AmqpBrokerFixture.start(Map.of("wharf.amqp.channel.max", "64"))) {
            ConnectionFactory factory = broker.factory();
            factory.setRequestedFrameMax(8192);
            Connection connection = factory.newConnection();
            assertThat(connection.getServerProperties().get("product").toString())
                    .isEqualTo("Wharf");
            @SuppressWarnings("unchecked")
            Map<String, Object> capabilities =
                    (Map<String, Object>) connection.getServerProperties().get("capabilities");
            assertThat(capabilities)
                    .containsEntry("publisher_confirms", true)
                    .containsEntry("basic.nack", true)
                    .containsEntry("consumer_cancel_notify", true)
                    .containsEntry("exchange_exchange_bindings", true)
                    .containsEntry("connection.blocked", true)
                    .containsEntry("authentication_failure_close", true)
                    .containsEntry("per_consumer_qos", true);
            assertThat(connection.getChannelMax()).isEqualTo(64);
            assertThat(connection.getFrameMax()).isEqualTo(8192);
            // A body larger than a frame travels in several body frames.
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare().getQueue();
            byte[] big = new byte[50_000];
            new java.util.Random(1).nextBytes(big);
            channel.basicPublish("", queue, null, big);
            assertThat(channel.basicGet(queue, true).getBody()).isEqualTo(big);
            connection.close();
        }
    }

    @Test
    void heartbeatsAreSentAndTwoMissedCloseTheConnection() throws Exception {
        try (AmqpBrokerFixture broker = AmqpBrokerFixture.start();
                Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            assertThat(method(in)).isInstanceOf(AMQImpl.Connection.Start.class);
            send(
                    out,
                    new AMQImpl.Connection.StartOk(
                            Map.of(), "PLAIN", LongStringHelper.asLongString("\0guest\0guest"), "en_US"));
            assertThat(method(in)).isInstanceOf(AMQImpl.Connection.Tune.class);
            send(out, new AMQImpl.Connection.TuneOk(0, 131072, 1));
            send(out, new AMQImpl.Connection.Open("/", "", false));
            assertThat(method(in)).isInstanceOf(AMQImpl.Connection.OpenOk.class);
            // Silent from here on: the broker sends heartbeats, then gives up after two missed ones.
            int heartbeats = 0;
            long started = System.nanoTime();
            try {
                while (true) {
                    Frame frame = Frame.readFrom(in, () -> 131072);
                    if (frame.getType() == 8) {
                        heartbeats++;
                    }
                }
            } catch (EOFException | java.net.SocketException closed) {
                // Closed by the broker.
            }
            assertThat(heartbeats).isGreaterThanOrEqualTo(1);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .isLessThan(10);
        }
    }

    private static void send(DataOutputStream out, com.rabbitmq.client.impl.Method method) throws IOException {
        method.toFrame(0).writeTo(out);
        out.flush();
    }

    private static com.rabbitmq.client.Method method(DataInputStream in) throws IOException {
        Frame frame = Frame.readFrom(in, () -> 131072);
        return AMQImpl.readMethodFrom(frame.getInputStream());
    }

    @Test
    void publishersAreBlockedPastTheMemoryLimitAndUnblockedWhenQueuesDrain() throws Exception {
        try (AmqpBrokerFixture broker =
                AmqpBrokerFixture.start(Map.of("wharf.amqp.memory.high.watermark.bytes", "100000"))) {
            Connection connection = broker.connect();
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            connection.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    events.add("blocked: " + reason);
                }

                @Override
                public void handleUnblocked() {
                    events.add("unblocked");
                }
            });
            Channel channel = connection.createChannel();
            String queue =
                    channel.queueDeclare("filling", false, false, false, null).getQueue();
            for (int i = 0; i < 20; i++) {
                channel.basicPublish("", queue, null, new byte[10_000]);
            }
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("blocked: low on memory");
            Channel drain = broker.connect().createChannel();
            drain.queuePurge(queue);
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("unblocked");
        }
    }
}
