package io.wharf.server;

import io.wharf.common.config.ConfigException;
import io.wharf.network.NetworkServer;
import io.wharf.protocol.wire.RequestCodec;
import io.wharf.server.config.BrokerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf server}: starts a broker in the foreground with defaults that need no file, stops it gracefully on
 * SIGTERM or Ctrl-C.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when the configuration is invalid, 2 when the broker cannot start.
 *
 * <p>Arguments that are only {@code --config} and {@code --override} options are read by {@link #plainOptions}
 * without building the picocli command, whose set-up costs about a third of a broker's start-up; picocli reads
 * everything else (help, version, mistakes) and gives its usual messages. A test checks that both read the same
 * arguments the same way.
 */
@Command(
        name = "wharf server",
        mixinStandardHelpOptions = true,
        versionProvider = ServerMain.VersionProvider.class,
        description = "Start a Wharf broker in the foreground (stop it with Ctrl-C or SIGTERM).")
public final class ServerMain implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "A server.properties file.")
    private Path configFile;

    @Option(
            names = "--override",
            paramLabel = "KEY=VALUE",
            description = "A setting that wins over the file; may be repeated.")
    private List<String> overrides = List.of();

    public static void main(String[] args) throws Exception {
        // Netty reports buffer allocations as JFR events unless told not to, and setting JFR up on the first
        // allocation delays the broker's first answer by tens of milliseconds. -Dio.netty.jfr.enabled=true restores it.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // Logging starts before the preload thread does: Netty's classes log as they load, and a logging call made
        // while SLF4J is still starting on another thread makes it print a warning about replayed calls.
        LoggerFactory.getILoggerFactory();
        Thread preload = new Thread(
                () -> {
                    NetworkServer.preload();
                    RequestCodec.preload();
                },
                "wharf-preload");
        preload.setDaemon(true);
        preload.start();
        ServerMain command = plainOptions(args).orElse(null);
        System.exit(command != null ? command.call() : new CommandLine(new ServerMain()).execute(args));
    }

    /**
     * The command for arguments made only of well-formed {@code --config FILE}, {@code --override KEY=VALUE} (or
     * {@code --option=value}) options, with at most one {@code --config}; empty for anything else.
     */
    static Optional<ServerMain> plainOptions(String[] args) {
        ServerMain command = new ServerMain();
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals >= 0 ? arg.substring(0, equals) : arg;
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (name.equals("--config") && command.configFile == null && !value.isEmpty()) {
                try {
                    command.configFile = Path.of(value);
                } catch (InvalidPathException e) {
                    return Optional.empty();
                }
            } else if (name.equals("--override")) {
                overrides.add(value);
            } else {
                return Optional.empty();
            }
        }
        command.overrides = List.copyOf(overrides);
        return Optional.of(command);
    }

    Path configFile() {
        return configFile;
    }

    List<String> overrides() {
        return overrides;
    }

    @Override
    public Integer call() throws Exception {
        BrokerConfig config;
        try {
            config = BrokerConfig.parse(settings());
        } catch (ConfigException | IllegalArgumentException | IOException e) {
            System.err.println("wharf server: " + e.getMessage());
            return 1;
        }
        AutoCloseable node;
        CompletableFuture<Void> stopped;
        try {
            if (config.cluster().clustered() && !config.cluster().broker()) {
                ControllerNode controller = ControllerNode.start(config);
                node = controller;
                stopped = controller.stopped();
            } else {
                Broker broker = Broker.start(config);
                node = broker;
                stopped = broker.stopped();
            }
        } catch (IOException | IllegalStateException e) {
            System.err.println("wharf server: cannot start: " + e.getMessage());
            return 2;
        }
        CountDownLatch hookDone = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                node.close();
                            } catch (Exception e) {
                                System.err.println("wharf server: stopping failed: " + e.getMessage());
                            }
                            hookDone.countDown();
                        },
                        "wharf-shutdown"));
        stopped.join();
        // Stopped by the shutdown hook (SIGTERM, Ctrl-C), or by the node itself because it must not serve (another
        // process registered as this node, a data directory of another cluster).
        return hookDone.getCount() == 0 ? 0 : 2;
    }

    private Map<String, String> settings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (configFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            properties
                    .stringPropertyNames()
                    .forEach(k -> settings.put(k, properties.getProperty(k).trim()));
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--override needs KEY=VALUE, got " + override);
            }
            settings.put(
                    override.substring(0, equals).trim(),
                    override.substring(equals + 1).trim());
        }
        return settings;
    }

    /** Reports the build's version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Wharf " + Version.current()};
        }
    }
}
