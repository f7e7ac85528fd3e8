package io.wharf.tests.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exchange types, queue arguments (TTL, max length, priority, dead-lettering, delivery limit), confirms, returns,
 * prefetch and redelivery, driven by the Java amqp-client.
 */
class AmqpFeaturesTest {

    private static AmqpBrokerFixture broker;

    @BeforeAll
    static void start() throws Exception {
        broker = AmqpBrokerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static List<String> drain(Channel channel, String queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(queue, true)) != null) {
            bodies.add(text(response.getBody()));
        }
        return bodies;
    }

    private static Channel channel() throws Exception {
        return broker.connect().createChannel();
    }

    @Test
    void headersExchangeMatchesAllOrAny() throws Exception {
        Channel channel = channel();
        channel.exchangeDeclare("hdr", BuiltinExchangeType.HEADERS);
        String all = channel.queueDeclare().getQueue();
        channel.queueBind(all, "hdr", "", Map.of("x-match", "all", "format", "pdf", "type", "report"));
        String any = channel.queueDeclare().getQueue();
        channel.queueBind(any, "hdr", "", Map.of("x-match", "any", "format", "pdf", "type", "log"));
        publishWithHeaders(channel, "hdr", Map.of("format", "pdf", "type", "report"), "both");
        publishWithHeaders(channel, "hdr", Map.of("format", "zip", "type", "log"), "any-only");
        publishWithHeaders(channel, "hdr", Map.of("format", "zip"), "none");
        assertThat(drain(channel, all)).containsExactly("both");
        assertThat(drain(channel, any)).containsExactly("both", "any-only");
        String match = channel.queueDeclare().getQueue();
        channel.queueBind(match, "amq.match", "", Map.of("k", 1));
        publishWithHeaders(channel, "amq.match", Map.of("k", 1), "numeric");
        assertThat(drain(channel, match)).containsExactly("numeric");
    }

    private static void publishWithHeaders(Channel channel, String exchange, Map<String, Object> headers, String body)
            throws Exception {
        channel.basicPublish(
                exchange,
                "",
                new AMQP.BasicProperties.Builder().headers(headers).build(),
                bytes(body));
    }

    @Test
    void exchangeToExchangeBindingsAndBuiltInExchanges() throws Exception {
        Channel channel = channel();
        channel.exchangeDeclare("e2e.source", BuiltinExchangeType.TOPIC);
        channel.exchangeDeclare("e2e.dest", BuiltinExchangeType.FANOUT);
        channel.exchangeBind("e2e.dest", "e2e.source", "orders.#");
        channel.exchangeBind("e2e.source", "e2e.dest", "#"); // a cycle: each exchange is visited once
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, "e2e.dest", "");
        channel.basicPublish("e2e.source", "orders.eu.new", null, bytes("order"));
        channel.basicPublish("e2e.source", "invoices.eu", null, bytes("invoice"));
        assertThat(drain(channel, queue)).containsExactly("order");
        for (String builtIn : List.of("amq.direct", "amq.fanout", "amq.topic")) {
            String q = channel.queueDeclare().getQueue();
            channel.queueBind(q, builtIn, "k.x");
            channel.basicPublish(builtIn, "k.x", null, bytes(builtIn));
            assertThat(drain(channel, q)).containsExactly(builtIn);
        }
        channel.exchangeUnbind("e2e.dest", "e2e.source", "orders.#");
        channel.basicPublish("e2e.source", "orders.eu.new", null, bytes("order"));
        assertThat(drain(channel, queue)).isEmpty();
    }

    @Test
    void propertiesAndHeadersArriveByteForByte() throws Exception {
        Channel channel = channel();
        String queue = channel.queueDeclare().getQueue();
        AMQP.BasicProperties sent = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .headers(Map.of("n", 42, "s", "text", "b", true, "list", List.of(1, "two")))
                .deliveryMode(1)
                .priority(3)
                .correlationId("c-1")
                .replyTo("r")
                .expiration("60000")
                .messageId("m-1")
                .timestamp(new java.util.Date(1_700_000_000_000L))
                .type("t")
                .userId("guest")
                .appId("app")
                .build();
        channel.basicPublish("", queue, sent, bytes("{}"));
        GetResponse got = channel.basicGet(queue, true);
        AMQP.BasicProperties props = got.getProps();
        assertThat(props.getContentType()).isEqualTo("application/json");
        assertThat(props.getHeaders().get("n")).isEqualTo(42);
        assertThat(props.getHeaders().get("s").toString()).isEqualTo("text");
        assertThat(props.getHeaders().get("b")).isEqualTo(true);
        assertThat(props.getCorrelationId()).isEqualTo("c-1");
        assertThat(props.getExpiration()).isEqualTo("60000");
        assertThat(props.getTimestamp()).isEqualTo(new java.util.Date(1_700_000_000_000L));
        assertThat(props.getAppId()).isEqualTo("app");
        assertThat(props.getPriority()).isEqualTo(3);
        assertThat(got.getEnvelope().isRedeliver()).isFalse();
    }

    @Test
    void publisherConfirmsAndMandatoryReturns() throws Exception {
        Channel channel = channel();
        channel.confirmSelect();
        List<Integer> returned = new ArrayList<>();
        channel.addReturnListener(r -> returned.add(r.getReplyCode()));
        String queue =
                channel.queueDeclare("confirmed", true, false, false, null).getQueue();
        for (int i = 0; i < 100; i++) {
            channel.basicPublish("", queue, com.rabbitmq.client.MessageProperties.PERSISTENT_BASIC, bytes("m" + i));
        }
        assertThat(channel.waitForConfirms(10_000)).isTrue();
        assertThat(channel.getNextPublishSeqNo()).isEqualTo(101);
        channel.basicPublish("", "no-such-queue", true, null, bytes("lost"));
        assertThat(channel.waitForConfirms(10_000)).isTrue();
        assertThat(returned).containsExactly(312);
        assertThat(channel.messageCount(queue)).isEqualTo(100);
    }

    @Test
    void rejectPublishOverflowNacksTheConfirm() throws Exception {
        Channel channel = channel();
        channel.confirmSelect();
        String queue = channel.queueDeclare(
                        "", false, true, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish"))
                .getQueue();
        for (int i = 0; i < 3; i++) {
            channel.basicPublish("", queue, null, bytes("m" + i));
        }
        assertThat(channel.waitForConfirms(10_000)).isFalse();
        assertThat(drain(channel, queue)).containsExactly("m0", "m1");
    }

    @Test
    void maxLengthDropsTheHeadIntoTheDeadLetterExchange() throws Exception {
        Channel channel = channel();
        channel.exchangeDeclare("dlx.maxlen", BuiltinExchangeType.FANOUT);
        String dead = channel.queueDeclare().getQueue();
        channel.queueBind(dead, "dlx.maxlen", "");
        String queue = channel.queueDeclare(
                        "", false, true, false, Map.of("x-max-length", 2, "x-dead-letter-exchange", "dlx.maxlen"))
                .getQueue();
        for (int i = 0; i < 4; i++) {
            channel.basicPublish("", queue, null, bytes("m" + i));
        }
        assertThat(drain(channel, queue)).containsExactly("m2", "m3");
        GetResponse first = channel.basicGet(dead, true);
        assertThat(text(first.getBody())).isEqualTo("m0");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deaths =
                (List<Map<String, Object>>) first.getProps().getHeaders().get("x-death");
        assertThat(deaths.get(0).get("reason").toString()).isEqualTo("maxlen");
        assertThat(deaths.get(0).get("queue").toString()).isEqualTo(queue);
        assertThat(deaths.get(0).get("count")).isEqualTo(1L);
        assertThat(first.getProps().getHeaders().get("x-first-death-reason").toString())
                .isEqualTo("maxlen");
    }

    @Test
    void expiredMessagesAreDeadLetteredWithTheRoutingKeyGiven() throws Exception {
        Channel channel = channel();
        channel.exchangeDeclare("dlx.ttl", BuiltinExchangeType.DIRECT);
        String dead = channel.queueDeclare().getQueue();
        channel.queueBind(dead, "dlx.ttl", "expired");
        String queue = channel.queueDeclare(
                        "",
                        false,
                        true,
                        false,
                        Map.of(
                                "x-message-ttl",
                                100,
                                "x-dead-letter-exchange",
                                "dlx.ttl",
                                "x-dead-letter-routing-key",
                                "expired"))
                .getQueue();
        channel.basicPublish("", queue, null, bytes("queue-ttl"));
        String perMessage = channel.queueDeclare(
                        "",
                        false,
                        true,
                        false,
                        Map.of("x-dead-letter-exchange", "dlx.ttl", "x-dead-letter-routing-key", "expired"))
                .getQueue();
        channel.basicPublish(
                "",
                perMessage,
                new AMQP.BasicProperties.Builder().expiration("50").build(),
                bytes("message-ttl"));
        channel.basicPublish("", perMessage, null, bytes("stays"));
        List<String> deadLetters = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            deadLetters.addAll(drain(channel, dead));
            return deadLetters.size() == 2;
        });
        assertThat(deadLetters).containsExactlyInAnyOrder("queue-ttl", "message-ttl");
        assertThat(drain(channel, perMessage)).containsExactly("stays");
    }

    @Test
    void priorityQueueDeliversHighestFirst() throws Exception {
        Channel channel = channel();
        String queue = channel.queueDeclare("", false, true, false, Map.of("x-max-priority", 10))
                .getQueue();
        int[] priorities = {1, 5, 0, 9, 5, 20};
        for (int i = 0; i < priorities.length; i++) {
            channel.basicPublish(
                    "",
                    queue,
                    new AMQP.BasicProperties.Builder().priority(priorities[i]).build(),
                    bytes("p" + priorities[i] + "-" + i));
        }
        // Priorities above x-max-priority count as the maximum; equal priorities keep publish order.
        assertThat(drain(channel, queue)).containsExactly("p20-5", "p9-3", "p5-1", "p5-4", "p1-0", "p0-2");
    }

    @Test
    void rejectedAndNackedMessagesRequeueAsRedeliveredOrDeadLetter() throws Exception {
        Channel channel = channel();
        channel.exchangeDeclare("dlx.rejected", BuiltinExchangeType.FANOUT);
        String dead = channel.queueDeclare().getQueue();
        channel.queueBind(dead, "dlx.rejected", "");
        String queue = channel.queueDeclare("", false, true, false, Map.of("x-dead-letter-exchange", "dlx.rejected"))
                .getQueue();
        for (int i = 0; i < 3; i++) {
            channel.basicPublish("", queue, null, bytes("m" + i));
        }
        GetResponse a = channel.basicGet(queue, false);
        channel.basicReject(a.getEnvelope().getDeliveryTag(), true);
        GetResponse again = channel.basicGet(queue, false);
        assertThat(text(again.getBody())).isEqualTo("m0");
        assertThat(again.getEnvelope().isRedeliver()).isTrue();
        GetResponse b = channel.basicGet(queue, false);
        GetResponse c = channel.basicGet(queue, false);
        channel.basicNack(c.getEnvelope().getDeliveryTag(), true, false);
        assertThat(text(b.getBody())).isEqualTo("m1");
        List<String> dl = drain(channel, dead);
        assertThat(dl).containsExactly("m0", "m1", "m2");
        assertThat(channel.messageCount(queue)).isZero();
    }

    @Test
    void deliveryLimitCountsRedeliveriesAndDeadLettersPastIt() throws Exception {
        Channel channel = channel();
        channel.exchangeDeclare("dlx.limit", BuiltinExchangeType.FANOUT);
        String dead = channel.queueDeclare().getQueue();
        channel.queueBind(dead, "dlx.limit", "");
        String queue = channel.queueDeclare(
                        "limited",
                        true,
                        false,
                        false,
                        Map.of("x-queue-type", "quorum", "x-delivery-limit", 2, "x-dead-letter-exchange", "dlx.limit"))
                .getQueue();
        channel.basicPublish("", queue, null, bytes("poison"));
        List<Object> counts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            GetResponse got = channel.basicGet(queue, false);
            Map<String, Object> headers = got.getProps().getHeaders();
            counts.add(headers == null ? null : headers.get("x-delivery-count"));
            channel.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
        }
        assertThat(counts).containsExactly(null, 1L, 2L);
        assertThat(channel.basicGet(queue, false)).isNull();
        GetResponse letter = channel.basicGet(dead, true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deaths =
                (List<Map<String, Object>>) letter.getProps().getHeaders().get("x-death");
        assertThat(deaths.get(0).get("reason").toString()).isEqualTo("delivery_limit");
    }

    @Test
    void unackedMessagesAreRedeliveredWhenTheirChannelCloses() throws Exception {
        Connection connection = broker.connect();
        Channel setup = connection.createChannel();
        String queue =
                setup.queueDeclare("redeliver", false, false, false, null).getQueue();
        for (int i = 0; i < 5; i++) {
            setup.basicPublish("", queue, null, bytes("m" + i));
        }
        Channel first = connection.createChannel();
        CountDownLatch gotAll = new CountDownLatch(5);
        first.basicConsume(queue, false, new DefaultConsumer(first) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                gotAll.countDown();
            }
        });
        assertThat(gotAll.await(10, TimeUnit.SECONDS)).isTrue();
        first.close();
        Channel second = connection.createChannel();
        BlockingQueue<Envelope> redelivered = new ArrayBlockingQueue<>(10);
        List<String> bodies = new ArrayList<>();
        second.basicConsume(queue, false, new DefaultConsumer(second) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                bodies.add(text(body));
                redelivered.add(envelope);
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
        for (int i = 0; i < 5; i++) {
            assertThat(redelivered.poll(10, TimeUnit.SECONDS).isRedeliver()).isTrue();
        }
        assertThat(bodies).containsExactly("m0", "m1", "m2", "m3", "m4");
    }

    @Test
    void prefetchBoundsUnackedDeliveriesPerConsumerAndPerChannel() throws Exception {
        Connection connection = broker.connect();
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare().getQueue();
        for (int i = 0; i < 20; i++) {
            channel.basicPublish("", queue, null, bytes("m" + i));
        }
        Channel consumerChannel = connection.createChannel();
        consumerChannel.basicQos(3, true); // the channel as a whole
        consumerChannel.basicQos(2); // each consumer
        AtomicInteger received = new AtomicInteger();
        List<Long> tags = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            consumerChannel.basicConsume(queue, false, new DefaultConsumer(consumerChannel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                    synchronized (tags) {
                        tags.add(envelope.getDeliveryTag());
                    }
                    received.incrementAndGet();
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 3);
        Thread.sleep(200);
        assertThat(received.get()).isEqualTo(3);
        synchronized (tags) {
            consumerChannel.basicAck(tags.get(tags.size() - 1), true);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 6);
    }

    @Test
    void recoverRedeliversAndTransactionsCommitOrRollBack() throws Exception {
        Channel channel = channel();
        String queue = channel.queueDeclare().getQueue();
        channel.basicPublish("", queue, null, bytes("m"));
        GetResponse got = channel.basicGet(queue, false);
        channel.basicRecover(true);
        GetResponse again = channel.basicGet(queue, false);
        assertThat(again.getEnvelope().isRedeliver()).isTrue();
        channel.basicAck(again.getEnvelope().getDeliveryTag(), false);
        Channel tx = channel();
        tx.txSelect();
        tx.basicPublish("", queue, null, bytes("rolled back"));
        tx.txRollback();
        tx.basicPublish("", queue, null, bytes("committed"));
        assertThat(channel.messageCount(queue)).isZero();
        tx.txCommit();
        assertThat(drain(channel, queue)).containsExactly("committed");
        assertThat(got.getEnvelope().getDeliveryTag()).isEqualTo(1);
    }

    @Test
    void deletingAQueueCancelsItsConsumers() throws Exception {
        Channel channel = channel();
        String queue =
                channel.queueDeclare("to-delete", false, false, false, null).getQueue();
        CountDownLatch cancelled = new CountDownLatch(1);
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleCancel(String consumerTag) {
                cancelled.countDown();
            }
        });
        channel().queueDelete(queue);
        assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void autoDeleteAndExclusiveQueuesGoWithTheirLastConsumerAndTheirConnection() throws Exception {
        Connection owner = broker.connect();
        Channel channel = owner.createChannel();
        channel.queueDeclare("auto.deleted", false, false, true, null);
        String tag = channel.basicConsume("auto.deleted", true, (t, d) -> {}, t -> {});
        String exclusive =
                channel.queueDeclare("exclusive.q", false, true, false, null).getQueue();
        Channel observer = channel();
        assertThat(observer.queueDeclarePassive("auto.deleted").getConsumerCount())
                .isEqualTo(1);
        channel.basicCancel(tag);
        assertThat(gone(c -> c.queueDeclarePassive("auto.deleted"))).isTrue();
        owner.close();
        assertThat(gone(c -> c.queueDeclarePassive(exclusive))).isTrue();
    }

    @Test
    void aQueueUnusedForItsExpiresIsDeleted() throws Exception {
        Channel channel = channel();
        channel.queueDeclare("expiring", false, false, false, Map.of("x-expires", 200));
        channel.basicPublish("", "expiring", null, bytes("m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gone(c -> c.queueDeclarePassive("expiring")));
    }

    private interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    /** Whether {@code action} fails with 404 NOT_FOUND. */
    private static boolean gone(ChannelAction action) throws Exception {
        Channel channel = channel();
        try {
            action.run(channel);
            return false;
        } catch (java.io.IOException e) {
            com.rabbitmq.client.ShutdownSignalException signal =
                    (com.rabbitmq.client.ShutdownSignalException) e.getCause();
            return ((AMQP.Channel.Close) signal.getReason()).getReplyCode() == 404;
        }
    }

    @Test
    void hundredChannelsWithTenConsumersEachOnOneConnection() throws Exception {
        Connection connection = broker.connect();
        Channel publisher = connection.createChannel();
        publisher.exchangeDeclare("many", BuiltinExchangeType.FANOUT);
        Map<String, AtomicInteger> perQueue = new ConcurrentHashMap<>();
        CountDownLatch delivered = new CountDownLatch(100 * 10);
        for (int c = 0; c < 100; c++) {
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "many", "");
            perQueue.put(queue, new AtomicInteger());
            for (int k = 0; k < 10; k++) {
                channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] b) {
                        perQueue.get(queue).incrementAndGet();
                        delivered.countDown();
                    }
                });
            }
        }
        for (int i = 0; i < 10; i++) {
            publisher.basicPublish("many", "", null, bytes("m" + i));
        }
        assertThat(delivered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(perQueue.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(10));
    }
}
