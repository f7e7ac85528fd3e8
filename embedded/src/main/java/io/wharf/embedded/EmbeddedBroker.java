package io.wharf.embedded;

import io.wharf.server.Broker;
import io.wharf.server.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Wharf broker in the caller's JVM, for tests: by default on a free port of 127.0.0.1, with its data in a new
 * temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().config("num.partitions", "3").start()) {
 *     producerProperties.put("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>The broker is a real one: same storage, handlers and network as {@code wharf server}. Only the sizes of its
 * thread pools default lower ({@link #EMBEDDED_DEFAULTS}), because a test broker serves a few clients and should
 * start fast and stay small; any setting given to the builder wins over those defaults.
 *
 * <p>Thread-safe: any thread may call any method; {@link #close()} is idempotent.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /**
     * Settings an embedded broker starts with unless the builder overrides them: one event loop, two request threads,
     * one fsync thread and one recovery thread are plenty for a test, and each thread not started is start-up time
     * and memory saved.
     */
    public static final Map<String, String> EMBEDDED_DEFAULTS = Map.of(
            BrokerConfig.NUM_NETWORK_THREADS.name(), "1",
            BrokerConfig.NUM_IO_THREADS.name(), "2",
            BrokerConfig.LOG_FLUSH_THREADS.name(), "1",
            BrokerConfig.NUM_RECOVERY_THREADS.name(), "1");

    private final Broker broker;
    private final Path dataDir;
    private final boolean ownsDataDir;

    private EmbeddedBroker(Broker broker, Path dataDir, boolean ownsDataDir) {
        this.broker = broker;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    /** A broker with every default: a free port, a temporary directory. */
    public static EmbeddedBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The port the broker listens on (the real one when the builder asked for port 0). */
    public int port() {
        return broker.advertisedListeners().get(0).port();
    }

    /** Where the broker keeps its partition logs and metadata log. */
    public Path dataDir() {
        return dataDir;
    }

    /** The broker's settings, as parsed (embedded defaults included). */
    public BrokerConfig config() {
        return broker.config();
    }

    /**
     * Stops the broker gracefully (requests already read are answered, logs are closed cleanly) and deletes the data
     * directory if the builder made it.
     *
     * @throws UncheckedIOException when the temporary directory cannot be deleted
     */
    @Override
    public void close() {
        broker.close();
        if (ownsDataDir) {
            TempDirs.delete(dataDir);
        }
    }

    /**
     * Collects the settings of one embedded broker. Not thread-safe; {@link #start()} may be called more than once,
     * each call starting a new broker.
     */
    public static final class Builder {

        private final Map<String, String> settings = new LinkedHashMap<>(EMBEDDED_DEFAULTS);
        private int port;
        private Path dataDir;

        private Builder() {}

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
            }
            this.port = port;
            return this;
        }

        /** Keep the data in {@code dir}, which {@link EmbeddedBroker#close()} then leaves in place. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Any broker setting, under its {@code server.properties} name; wins over the embedded defaults. */
        public Builder config(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Several broker settings at once; see {@link #config(String, String)}. */
        public Builder configs(Map<String, String> configs) {
            settings.putAll(configs);
            return this;
        }

        /**
         * Starts the broker and returns once it accepts connections.
         *
         * @throws io.wharf.common.config.ConfigException for an unknown setting or an invalid value
         * @throws IllegalStateException when the broker cannot start (the port is taken, the directory is not
         *     writable, ...)
         */
        public EmbeddedBroker start() {
            boolean ownsDir = dataDir == null;
            Path dir = ownsDir ? TempDirs.create() : dataDir;
            Map<String, String> all = new LinkedHashMap<>(settings);
            all.putIfAbsent(BrokerConfig.LISTENERS.name(), "PLAINTEXT://127.0.0.1:" + port);
            all.put(BrokerConfig.LOG_DIRS.name(), dir.toString());
            try {
                return new EmbeddedBroker(Broker.start(BrokerConfig.parse(all)), dir, ownsDir);
            } catch (IOException | RuntimeException e) {
                if (ownsDir) {
                    TempDirs.deleteQuietly(dir);
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("the embedded broker did not start: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (ownsDir) {
                    TempDirs.deleteQuietly(dir);
                }
                throw new IllegalStateException("interrupted while the embedded broker was starting", e);
            }
        }
    }
}
