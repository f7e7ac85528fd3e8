package io.wharf.cli.client;

import io.wharf.cli.CliException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of one command run, made from its {@link ClientOptions}: every wait bounded by {@code --timeout},
 * the user's {@code --command-config} properties layered over Wharf's settings, everything closed by
 * {@link #close()}. Used by one command on one thread.
 */
public final class Clients implements AutoCloseable {

    /** How long closing a client may take; a command that is done should not hang on a dead broker. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Waits on futures get this much beyond the client's own timeout, which should fire first. */
    private static final long BACKSTOP_MS = 2_000;

    private final String bootstrap;
    private final Duration timeout;
    private final Properties userProperties;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Admin admin;

    private Clients(String bootstrap, Duration timeout, Properties userProperties) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
        this.userProperties = userProperties;
    }

    /**
     * Reads the options; nothing connects yet.
     *
     * @throws CliException when the {@code --command-config} file cannot be read
     */
    public static Clients open(ClientOptions options) {
        Properties user = new Properties();
        if (options.commandConfig() != null) {
            try (Reader reader = Files.newBufferedReader(options.commandConfig(), StandardCharsets.UTF_8)) {
                user.load(reader);
            } catch (NoSuchFileException e) {
                throw CliException.usage("cannot read --command-config " + options.commandConfig() + ": no such file");
            } catch (IOException | IllegalArgumentException e) {
                throw CliException.usage("cannot read --command-config " + options.commandConfig() + ": " + e);
            }
        }
        String bootstrap = options.bootstrapServer();
        if (bootstrap == null) {
            bootstrap = user.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ClientOptions.DEFAULT_BOOTSTRAP);
        }
        user.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        return new Clients(bootstrap, options.timeout(), user);
    }

    /** The bootstrap servers, for messages. */
    public String bootstrap() {
        return bootstrap;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The admin client, created on first use. */
    public Admin admin() {
        if (admin == null) {
            Properties properties = common();
            properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            properties.putAll(userProperties);
            admin = Admin.create(properties);
            opened.add(() -> admin.close(CLOSE_TIMEOUT));
        }
        return admin;
    }

    /**
     * Asks the broker for the cluster's nodes, so that a command fails with one clear line when no broker answers
     * rather than with whatever its first real request would say.
     *
     * @throws CliException ({@link io.wharf.cli.ExitCode#FAILED}) when no broker answered within the timeout
     */
    public void checkReachable() {
        try {
            await(admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes());
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
    }

    /** The failure to report when no broker answered in time. */
    public CliException unreachable(Throwable cause) {
        return CliException.failed(
                "cannot reach a broker at " + bootstrap + " (tried for " + DurationConverter.format(timeout) + ")",
                cause);
    }

    /**
     * Waits for an admin result and returns it, or throws the Kafka exception it failed with (unwrapped, so callers
     * can catch {@link org.apache.kafka.common.errors.UnknownTopicOrPartitionException} and the like).
     */
    public <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis() + BACKSTOP_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw CliException.failed(String.valueOf(cause), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("no answer within " + DurationConverter.format(timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted", e);
        }
    }

    /** A producer of raw bytes; {@code settings} win over Wharf's defaults, the user's properties over both. */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> settings) {
        Properties properties = common();
        long timeoutMs = timeout.toMillis();
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        // The producer insists on delivery.timeout.ms >= linger.ms + request.timeout.ms.
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, 2 * timeoutMs));
        properties.putAll(settings);
        properties.putAll(userProperties);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        opened.add(() -> producer.close(CLOSE_TIMEOUT));
        return producer;
    }

    /** A consumer of raw bytes; {@code settings} win over Wharf's defaults, the user's properties over both. */
    public KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> settings) {
        Properties properties = common();
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        // A typo in a topic name must not create that topic.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.putAll(settings);
        properties.putAll(userProperties);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        opened.add(() -> consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(CLOSE_TIMEOUT)));
        return consumer;
    }

    private Properties common() {
        Properties properties = new Properties();
        int timeoutMs = (int) timeout.toMillis();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "wharf-cli");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        // Connection attempts must give up within the timeout too, or an unreachable host waits 10 s regardless.
        properties.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) Math.min(timeoutMs, 10_000));
        properties.put(
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) Math.min(timeoutMs, 30_000));
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500L);
        properties.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 500L);
        return properties;
    }

    /** Closes every client this run opened, newest first, each within a bounded time. */
    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // The command's own outcome is what the user needs; a client that fails to close changes nothing.
            }
        }
        opened.clear();
    }
}
