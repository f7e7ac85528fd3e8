package io.wharf.tests.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Durable exchanges, queues and bindings and persistent messages survive a restart; acknowledged ones do not come
 * back; a Kafka consumer reads what an AMQP publisher sent to a durable queue.
 */
class AmqpDurabilityTest {

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void durableDefinitionsAndUnackedPersistentMessagesSurviveARestart() throws Exception {
        try (AmqpBrokerFixture broker = AmqpBrokerFixture.start()) {
            Channel channel = broker.connect().createChannel();
            channel.exchangeDeclare("orders", BuiltinExchangeType.TOPIC, true);
            channel.queueDeclare("orders.eu", true, false, false, Map.of("x-max-priority", 5));
            channel.queueBind("orders.eu", "orders", "eu.#");
            channel.exchangeDeclare("transient.x", BuiltinExchangeType.FANOUT, false);
            channel.queueDeclare("transient.q", false, false, false, null);
            channel.confirmSelect();
            for (int i = 0; i < 10; i++) {
                channel.basicPublish(
                        "orders",
                        "eu.order." + i,
                        MessageProperties.PERSISTENT_TEXT_PLAIN,
                        ("order " + i).getBytes(StandardCharsets.UTF_8));
            }
            channel.basicPublish("orders", "eu.transient", null, "transient".getBytes(StandardCharsets.UTF_8));
            assertThat(channel.waitForConfirms(10_000)).isTrue();
            for (int i = 0; i < 3; i++) {
                GetResponse got = channel.basicGet("orders.eu", false);
                channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
            }
            GetResponse unacked = channel.basicGet("orders.eu", false);
            assertThat(text(unacked.getBody())).isEqualTo("order 3");

            broker.restart();

            Channel after = broker.connect().createChannel();
            after.exchangeDeclarePassive("orders");
            after.exchangeDeclare("orders", BuiltinExchangeType.TOPIC, true);
            assertThat(after.queueDeclarePassive("orders.eu").getMessageCount()).isEqualTo(7);
            assertThat(isGone(broker, c -> c.exchangeDeclarePassive("transient.x")))
                    .isTrue();
            assertThat(isGone(broker, c -> c.queueDeclarePassive("transient.q")))
                    .isTrue();
            List<String> bodies = new ArrayList<>();
            GetResponse got;
            while ((got = after.basicGet("orders.eu", true)) != null) {
                bodies.add(text(got.getBody()));
                assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
                assertThat(got.getProps().getContentType()).isEqualTo("text/plain");
            }
            assertThat(bodies)
                    .containsExactly("order 3", "order 4", "order 5", "order 6", "order 7", "order 8", "order 9");
            after.basicPublish("orders", "eu.again", MessageProperties.PERSISTENT_BASIC, new byte[] {1});
            assertThat(after.basicGet("orders.eu", true).getEnvelope().getRoutingKey())
                    .isEqualTo("eu.again");
        }
    }

    @Test
    void aQueueDeclaredAgainAfterDeletionDoesNotGetItsPredecessorsMessagesBack() throws Exception {
        try (AmqpBrokerFixture broker = AmqpBrokerFixture.start()) {
            Channel channel = broker.connect().createChannel();
            channel.confirmSelect();
            channel.queueDeclare("reborn", true, false, false, null);
            channel.basicPublish(
                    "", "reborn", MessageProperties.PERSISTENT_BASIC, "old".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
            channel.queueDelete("reborn");
            channel.queueDeclare("reborn", true, false, false, null);
            channel.basicPublish(
                    "", "reborn", MessageProperties.PERSISTENT_BASIC, "new".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);

            broker.restart();

            Channel after = broker.connect().createChannel();
            assertThat(after.queueDeclarePassive("reborn").getMessageCount()).isEqualTo(1);
            assertThat(text(after.basicGet("reborn", true).getBody())).isEqualTo("new");
        }
    }

    private interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    private static boolean isGone(AmqpBrokerFixture broker, ChannelAction action) throws Exception {
        Channel channel = broker.connect().createChannel();
        try {
            action.run(channel);
            return false;
        } catch (java.io.IOException e) {
            return ((AMQP.Channel.Close) ((com.rabbitmq.client.ShutdownSignalException) e.getCause()).getReason())
                            .getReplyCode()
                    == 404;
        }
    }

    @Test
    void aKafkaConsumerReadsWhatAnAmqpPublisherSent() throws Exception {
        try (AmqpBrokerFixture broker = AmqpBrokerFixture.start()) {
            Channel channel = broker.connect().createChannel();
            channel.queueDeclare("invoices", true, false, false, null);
            channel.confirmSelect();
            for (int i = 0; i < 5; i++) {
                channel.basicPublish(
                        "",
                        "invoices",
                        MessageProperties.PERSISTENT_BASIC,
                        ("invoice " + i).getBytes(StandardCharsets.UTF_8));
            }
            assertThat(channel.waitForConfirms(10_000)).isTrue();
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.broker().bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-side");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("amqp.invoices"));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (records.size() < 5 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                }
            }
            assertThat(records)
                    .extracting(r -> text(r.value()))
                    .containsExactly("invoice 0", "invoice 1", "invoice 2", "invoice 3", "invoice 4");
            assertThat(text(records.get(0).key())).isEqualTo("invoices");
            assertThat(text(records.get(0)
                            .headers()
                            .lastHeader("amqp.routing-key")
                            .value()))
                    .isEqualTo("invoices");
            assertThat(text(records.get(0)
                            .headers()
                            .lastHeader("amqp.delivery-mode")
                            .value()))
                    .isEqualTo("2");
        }
    }
}
