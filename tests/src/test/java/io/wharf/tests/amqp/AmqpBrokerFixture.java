package io.wharf.tests.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.wharf.server.Broker;
import io.wharf.server.config.BrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A broker in this JVM with a Kafka and an AMQP listener on free ports, in a temporary directory, and factories of
 * amqp-client connections to it. Closes the connections it made, then the broker, then deletes the directory.
 */
final class AmqpBrokerFixture implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    private final List<Connection> connections = new ArrayList<>();
    private Broker broker;

    private AmqpBrokerFixture(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = overrides;
    }

    static AmqpBrokerFixture start() throws Exception {
        return start(Map.of());
    }

    static AmqpBrokerFixture start(Map<String, String> overrides) throws Exception {
        AmqpBrokerFixture fixture = new AmqpBrokerFixture(Files.createTempDirectory("wharf-amqp"), overrides);
        fixture.startBroker();
        return fixture;
    }

    private void startBroker() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0,AMQP://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.putAll(overrides);
        broker = Broker.start(BrokerConfig.parse(settings));
    }

    /** Stops the broker gracefully and starts it again on the same data (on new ports). */
    void restart() throws Exception {
        closeConnections();
        broker.close();
        startBroker();
    }

    Broker broker() {
        return broker;
    }

    int port() {
        return broker.amqpPort();
    }

    ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port());
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    Connection connect() throws Exception {
        Connection connection = factory().newConnection();
        connections.add(connection);
        return connection;
    }

    private void closeConnections() {
        for (Connection connection : connections) {
            try {
                if (connection.isOpen()) {
                    connection.close(2000);
                }
            } catch (Exception e) {
                // Already gone.
            }
        }
        connections.clear();
    }

    @Override
    public void close() throws Exception {
        closeConnections();
        broker.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
