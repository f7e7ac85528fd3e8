package io.wharf.tests.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The six RabbitMQ tutorials, run with the Java amqp-client against Wharf's AMQP listener. */
class AmqpTutorialsTest {

    private static AmqpBrokerFixture broker;

    @BeforeAll
    static void start() throws Exception {
        broker = AmqpBrokerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Collects the bodies a consumer receives, acknowledging each unless auto-ack. */
    private static BlockingQueue<String> consume(Channel channel, String queue, boolean autoAck) throws Exception {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10_000);
        channel.basicConsume(queue, autoAck, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                received.add(text(body));
                if (!autoAck) {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            }
        });
        return received;
    }

    @Test
    void helloWorld() throws Exception {
        Connection connection = broker.connect();
        Channel producer = connection.createChannel();
        producer.queueDeclare("hello", false, false, false, null);
        producer.basicPublish("", "hello", null, bytes("Hello World!"));
        Channel consumer = connection.createChannel();
        BlockingQueue<String> received = consume(consumer, "hello", true);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("Hello World!");
    }

    @Test
    void workQueuesWithFairDispatch() throws Exception {
        Connection connection = broker.connect();
        Channel producer = connection.createChannel();
        producer.queueDeclare("task_queue", true, false, false, null);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(20);
        List<Integer> perWorker = Collections.synchronizedList(new ArrayList<>(List.of(0, 0)));
        for (int w = 0; w < 2; w++) {
            int worker = w;
            Channel channel = broker.connect().createChannel();
            channel.basicQos(1);
            channel.basicConsume("task_queue", false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    // Worker 0 is slow: with prefetch 1 the fast one must take most of the work.
                    if (worker == 0) {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    seen.add(text(body));
                    perWorker.set(worker, perWorker.get(worker) + 1);
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                    all.countDown();
                }
            });
        }
        for (int i = 0; i < 20; i++) {
            producer.basicPublish(
                    "", "task_queue", com.rabbitmq.client.MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("task " + i));
        }
        assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(20).doesNotHaveDuplicates();
        assertThat(perWorker.get(1)).isGreaterThan(perWorker.get(0));
    }

    @Test
    void publishSubscribe() throws Exception {
        Channel channel = broker.connect().createChannel();
        channel.exchangeDeclare("logs", BuiltinExchangeType.FANOUT);
        List<BlockingQueue<String>> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String queue = channel.queueDeclare().getQueue();
            assertThat(queue).startsWith("amq.gen-");
            channel.queueBind(queue, "logs", "");
            subscribers.add(consume(channel, queue, true));
        }
        channel.basicPublish("logs", "", null, bytes("log line"));
        for (BlockingQueue<String> subscriber : subscribers) {
            assertThat(subscriber.poll(10, TimeUnit.SECONDS)).isEqualTo("log line");
        }
    }

    @Test
    void routing() throws Exception {
        Channel channel = broker.connect().createChannel();
        channel.exchangeDeclare("direct_logs", BuiltinExchangeType.DIRECT);
        String errors = channel.queueDeclare().getQueue();
        channel.queueBind(errors, "direct_logs", "error");
        String all = channel.queueDeclare().getQueue();
        for (String severity : List.of("info", "warning", "error")) {
            channel.queueBind(all, "direct_logs", severity);
        }
        for (String severity : List.of("info", "warning", "error", "debug")) {
            channel.basicPublish("direct_logs", severity, null, bytes(severity));
        }
        BlockingQueue<String> errorLog = consume(channel, errors, true);
        BlockingQueue<String> allLog = consume(channel, all, true);
        assertThat(errorLog.poll(10, TimeUnit.SECONDS)).isEqualTo("error");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(allLog.poll(10, TimeUnit.SECONDS));
        }
        assertThat(got).containsExactly("info", "warning", "error");
        assertThat(errorLog.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(allLog.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void topics() throws Exception {
        Channel channel = broker.connect().createChannel();
        channel.exchangeDeclare("topic_logs", BuiltinExchangeType.TOPIC);
        String kern = channel.queueDeclare().getQueue();
        channel.queueBind(kern, "topic_logs", "kern.*");
        String critical = channel.queueDeclare().getQueue();
        channel.queueBind(critical, "topic_logs", "*.critical");
        String everything = channel.queueDeclare().getQueue();
        channel.queueBind(everything, "topic_logs", "#");
        for (String key : List.of("kern.critical", "kern.info", "app.critical", "app.info.extra")) {
            channel.basicPublish("topic_logs", key, null, bytes(key));
        }
        assertThat(drain(channel, kern)).containsExactly("kern.critical", "kern.info");
        assertThat(drain(channel, critical)).containsExactly("kern.critical", "app.critical");
        assertThat(drain(channel, everything))
                .containsExactly("kern.critical", "kern.info", "app.critical", "app.info.extra");
    }

    private static List<String> drain(Channel channel, String queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(queue, true)) != null) {
            bodies.add(text(response.getBody()));
        }
        return bodies;
    }

    @Test
    void rpcWithReplyToAndCorrelationId() throws Exception {
        Channel server = broker.connect().createChannel();
        server.queueDeclare("rpc_queue", false, false, false, null);
        server.basicQos(1);
        server.basicConsume("rpc_queue", false, new DefaultConsumer(server) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                int n = Integer.parseInt(text(body));
                AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder()
                        .correlationId(props.getCorrelationId())
                        .build();
                getChannel().basicPublish("", props.getReplyTo(), reply, bytes(String.valueOf(fib(n))));
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
        Channel client = broker.connect().createChannel();
        String replyQueue = client.queueDeclare().getQueue();
        BlockingQueue<String> replies = new ArrayBlockingQueue<>(10);
        String correlationId = UUID.randomUUID().toString();
        client.basicConsume(replyQueue, true, new DefaultConsumer(client) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                if (correlationId.equals(props.getCorrelationId())) {
                    replies.add(text(body));
                }
            }
        });
        AMQP.BasicProperties request = new AMQP.BasicProperties.Builder()
                .correlationId(correlationId)
                .replyTo(replyQueue)
                .headers(Map.of("kind", "fib"))
                .build();
        client.basicPublish("", "rpc_queue", request, bytes("10"));
        assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("55");
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
