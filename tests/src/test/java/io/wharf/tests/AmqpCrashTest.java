package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publisher confirms mean the message is on disk: a broker process killed with SIGKILL while an AMQP publisher runs
 * loses no confirmed message of a durable queue.
 */
class AmqpCrashTest {

    @TempDir
    Path data;

    @Test
    void noConfirmedMessageIsLostWhenTheBrokerIsKilled() throws Exception {
        int amqpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            amqpPort = socket.getLocalPort();
        }
        List<String> overrides = new ArrayList<>();
        try (BrokerProcess broker = new BrokerProcess(data, overrides)) {
            overrides.add("listeners=PLAINTEXT://" + broker.bootstrapServers() + ",AMQP://127.0.0.1:" + amqpPort);
            broker.start();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(amqpPort);
            factory.setAutomaticRecoveryEnabled(false);
            Set<String> confirmed = new ConcurrentSkipListSet<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread publisher;
            try (Connection connection = factory.newConnection()) {
                Channel channel = connection.createChannel();
                channel.queueDeclare("crash", true, false, false, null);
                channel.confirmSelect();
                publisher = new Thread(() -> publish(channel, publishing, confirmed));
                publisher.start();
                while (confirmed.size() < 300) {
                    Thread.sleep(5);
                }
                broker.kill();
                publishing.set(false);
                publisher.join(10_000);
            } catch (Exception closedByTheKill) {
                // The connection died with the broker.
            }
            broker.start();
            Set<String> recovered = new HashSet<>();
            try (Connection connection = connectWhenUp(factory)) {
                Channel channel = connection.createChannel();
                GetResponse got;
                while ((got = channel.basicGet("crash", true)) != null) {
                    recovered.add(new String(got.getBody(), StandardCharsets.UTF_8));
                }
            }
            assertThat(confirmed).hasSizeGreaterThanOrEqualTo(300);
            assertThat(recovered).containsAll(confirmed);
        }
    }

    /** The Kafka port opens first; the AMQP one follows once the logs are recovered. */
    private static Connection connectWhenUp(ConnectionFactory factory) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return factory.newConnection();
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Publishes in batches of 20, waiting for each batch's confirms; records what was confirmed. */
    private static void publish(Channel channel, AtomicBoolean publishing, Set<String> confirmed) {
        int next = 0;
        try {
            while (publishing.get()) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String body = "m" + next++;
                    channel.basicPublish(
                            "", "crash", MessageProperties.PERSISTENT_BASIC, body.getBytes(StandardCharsets.UTF_8));
                    batch.add(body);
                }
                channel.waitForConfirmsOrDie(10_000);
                confirmed.addAll(batch);
            }
        } catch (Exception e) {
            // The broker was killed: what was not confirmed may or may not be there.
        }
    }
}
