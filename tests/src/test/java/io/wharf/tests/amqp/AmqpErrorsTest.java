package io.wharf.tests.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Client mistakes get the spec's reply codes, on the channel (soft errors) or the connection (hard errors), and
 * leave the broker's state as it was; malformed and random frames close only their own connection.
 */
class AmqpErrorsTest {

    private static AmqpBrokerFixture broker;

    @BeforeAll
    static void start() throws Exception {
        broker = AmqpBrokerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    /** Runs {@code action} on a fresh channel and returns the reply code of the close it caused. */
    private static int replyCode(Connection connection, ChannelAction action) throws Exception {
        Channel channel = connection.createChannel();
        try {
            action.run(channel);
        } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
            Throwable cause = e instanceof IOException ? e.getCause() : e;
            ShutdownSignalException signal = (ShutdownSignalException) cause;
            return ((AMQP.Channel.Close) signal.getReason()).getReplyCode();
        }
        throw new AssertionError("no error");
    }

    private static int connectionReplyCode(Executable action) {
        try {
            action.execute();
        } catch (Throwable e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof ShutdownSignalException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("a shutdown signal from " + e).isNotNull();
            ShutdownSignalException signal = (ShutdownSignalException) cause;
            assertThat(signal.isHardError()).isTrue();
            return ((AMQP.Connection.Close) signal.getReason()).getReplyCode();
        }
        throw new AssertionError("no error");
    }

    interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    @Test
    void softErrorsCloseTheChannelWithTheRightCodeAndChangeNothing() throws Exception {
        Connection connection = broker.connect();
        Channel setup = connection.createChannel();
        setup.exchangeDeclare("errors.x", BuiltinExchangeType.DIRECT, false);
        setup.queueDeclare("errors.q", false, false, false, Map.of("x-max-length", 5));
        setup.basicPublish("", "errors.q", null, new byte[] {1});

        assertThat(replyCode(connection, c -> c.queueDeclarePassive("missing"))).isEqualTo(404);
        assertThat(replyCode(connection, c -> c.exchangeDeclarePassive("missing")))
                .isEqualTo(404);
        assertThat(replyCode(connection, c -> c.queueBind("errors.q", "missing", "k")))
                .isEqualTo(404);
        assertThat(replyCode(connection, c -> c.queueBind("missing", "errors.x", "k")))
                .isEqualTo(404);
        assertThat(replyCode(connection, c -> c.basicConsume("missing", true, (t, d) -> {}, t -> {})))
                .isEqualTo(404);
        assertThat(replyCode(connection, c -> c.exchangeDeclare("errors.x", BuiltinExchangeType.FANOUT)))
                .isEqualTo(406);
        assertThat(replyCode(connection, c -> c.exchangeDeclare("errors.x", BuiltinExchangeType.DIRECT, true)))
                .isEqualTo(406);
        assertThat(replyCode(
                        connection, c -> c.queueDeclare("errors.q", true, false, false, Map.of("x-max-length", 5))))
                .isEqualTo(406);
        assertThat(replyCode(connection, c -> c.queueDeclare("errors.q", false, false, false, null)))
                .isEqualTo(406);
        assertThat(replyCode(
                        connection,
                        c -> c.queueDeclare("bad.args", false, false, false, Map.of("x-max-priority", 300))))
                .isEqualTo(406);
        assertThat(replyCode(connection, c -> c.exchangeDeclare("amq.mine", BuiltinExchangeType.DIRECT)))
                .isEqualTo(403);
        assertThat(replyCode(connection, c -> c.queueDeclare("amq.mine", false, false, false, null)))
                .isEqualTo(403);
        assertThat(replyCode(connection, c -> c.exchangeDelete("amq.direct"))).isEqualTo(403);
        assertThat(replyCode(connection, c -> c.queueBind("errors.q", "", "k"))).isEqualTo(403);
        assertThat(replyCode(connection, c -> {
                    c.basicAck(99, false);
                    c.queueDeclarePassive("errors.q");
                }))
                .isEqualTo(406);
        assertThat(replyCode(connection, c -> {
                    c.queueDelete("errors.q", false, true);
                }))
                .isEqualTo(406);
        assertThat(replyCode(connection, c -> c.txCommit())).isEqualTo(406);

        Connection other = broker.connect();
        Channel owner = other.createChannel();
        String exclusive = owner.queueDeclare().getQueue();
        assertThat(replyCode(connection, c -> c.queueDeclarePassive(exclusive))).isEqualTo(405);
        assertThat(replyCode(connection, c -> c.basicConsume(exclusive, true, (t, d) -> {}, t -> {})))
                .isEqualTo(405);

        // Nothing changed: the exchange, the queue and its message are as they were; the connection still works.
        Channel check = connection.createChannel();
        check.exchangeDeclarePassive("errors.x");
        assertThat(check.queueDeclarePassive("errors.q").getMessageCount()).isEqualTo(1);
        assertThat(connection.isOpen()).isTrue();
        check.exchangeDeclare("errors.x", BuiltinExchangeType.DIRECT, false);
    }

    @Test
    void hardErrorsCloseTheConnectionWithTheRightCode() throws Exception {
        assertThat(connectionReplyCode(() -> {
                    Connection connection = broker.connect();
                    Channel channel = connection.createChannel();
                    channel.exchangeDeclare("hard.x", "no-such-type");
                }))
                .isEqualTo(503);
        assertThat(connectionReplyCode(() -> {
                    Connection connection = broker.connect();
                    Channel channel = connection.createChannel();
                    channel.basicPublish("", "q", false, true, null, new byte[] {1});
                    channel.queueDeclare();
                }))
                .isEqualTo(540);
        ConnectionFactory wrongVhost = broker.factory();
        wrongVhost.setVirtualHost("/nope");
        assertThat(connectionReplyCode(wrongVhost::newConnection)).isEqualTo(530);
    }

    @Test
    void wrongCredentialsAreRefused() {
        ConnectionFactory factory = broker.factory();
        factory.setPassword("wrong");
        assertThatThrownBy(factory::newConnection).isInstanceOf(AuthenticationFailureException.class);
        ConnectionFactory amqPlain = broker.factory();
        amqPlain.setSaslConfig(mechanisms -> new com.rabbitmq.client.SaslMechanism() {
            @Override
            public String getName() {
                return "AMQPLAIN";
            }

            @Override
            public com.rabbitmq.client.LongString handleChallenge(
                    com.rabbitmq.client.LongString challenge, String username, String password) {
                return amqPlainResponse(username, password);
            }
        });
        assertThat(amqPlainConnects(amqPlain)).isTrue();
    }

    private static boolean amqPlainConnects(ConnectionFactory factory) {
        try (Connection connection = factory.newConnection()) {
            return connection.isOpen();
        } catch (Exception e) {
            return false;
        }
    }

    /** An AMQPLAIN response: LOGIN and PASSWORD as a field table without its length prefix. */
    private static com.rabbitmq.client.LongString amqPlainResponse(String user, String password) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            new com.rabbitmq.client.impl.ValueWriter(new java.io.DataOutputStream(out))
                    .writeTable(new java.util.LinkedHashMap<>(Map.of("LOGIN", user, "PASSWORD", password)));
            byte[] framed = out.toByteArray();
            return com.rabbitmq.client.impl.LongStringHelper.asLongString(
                    java.util.Arrays.copyOfRange(framed, 4, framed.length));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aWrongProtocolHeaderIsAnsweredWithTheSupportedOne() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 8, 0});
            byte[] answer = new DataInputStream(socket.getInputStream()).readNBytes(8);
            assertThat(answer).containsExactly('A', 'M', 'Q', 'P', 0, 0, 9, 1);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void randomAndMutatedFramesCloseOnlyTheirConnection() throws Exception {
        Connection bystander = broker.connect();
        Channel channel = bystander.createChannel();
        String queue = channel.queueDeclare().getQueue();
        Random random = new Random(14);
        byte[] valid = validOpening();
        for (int round = 0; round < 200; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    int at = 8 + random.nextInt(bytes.length - 8);
                    bytes[at] = (byte) random.nextInt(256);
                }
            } else {
                bytes = new byte[8 + random.nextInt(200)];
                random.nextBytes(bytes);
                System.arraycopy(valid, 0, bytes, 0, 8);
            }
            sendAndDrop(bytes);
        }
        channel.basicPublish("", queue, null, new byte[] {42});
        assertThat(channel.basicGet(queue, true).getBody()).containsExactly(42);
        assertThat(broker.connect().isOpen()).isTrue();
    }

    /** The protocol header and a start-ok, tune-ok, open and channel.open, as a client would send them. */
    private static byte[] validOpening() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
        writeMethod(
                out,
                0,
                new AMQImpl.Connection.StartOk(
                        Map.of(),
                        "PLAIN",
                        com.rabbitmq.client.impl.LongStringHelper.asLongString("\0guest\0guest"),
                        "en_US"));
        writeMethod(out, 0, new AMQImpl.Connection.TuneOk(10, 131072, 0));
        writeMethod(out, 0, new AMQImpl.Connection.Open("/", "", false));
        writeMethod(out, 1, new AMQImpl.Channel.Open(""));
        writeMethod(out, 1, new AMQImpl.Queue.Declare(0, "fuzz", false, false, true, true, false, Map.of()));
        return out.toByteArray();
    }

    private static void writeMethod(OutputStream out, int channel, com.rabbitmq.client.impl.Method method)
            throws IOException {
        method.toFrame(channel).writeTo(new java.io.DataOutputStream(out));
    }

    private static void sendAndDrop(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(300);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            in.read(new byte[256]);
        } catch (IOException e) {
            // The broker closed the connection, or timed out on it: either is fine.
        }
    }
}
