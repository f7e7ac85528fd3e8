package io.wharf.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as a user gets it: unpacked into an empty directory, started with {@code bin/wharf server} with nothing
 * but a JDK (a bare PATH and JAVA_HOME), served to the Kafka Java client, the tools and the README's Java quickstart,
 * and stopped with SIGTERM.
 */
class TarballIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String BARE_PATH = "/usr/bin:/bin";

    @TempDir
    Path dir;

    private Process broker;

    @AfterEach
    void stopLeftovers() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theUnpackedTarballServesClientsAndStopsOnSigterm() throws Exception {
        Path home = unpack();
        assertThat(home.resolve("bin/wharf")).isExecutable();
        assertThat(home.resolve("config/server.properties")).isNotEmptyFile();
        assertThat(home.resolve("config/logback.xml")).isNotEmptyFile();
        assertThat(home.resolve("config/logback-cli.xml")).isNotEmptyFile();
        try (Stream<Path> libs = Files.list(home.resolve("libs"))) {
            assertThat(libs.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("wharf-server-"))
                    .anyMatch(n -> n.startsWith("wharf-cli-"))
                    .anyMatch(n -> n.startsWith("kafka-clients-"));
        }

        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        Path log = dir.resolve("server.log");
        broker = bare(List.of(
                        home.resolve("bin/wharf").toString(),
                        "server",
                        "--config",
                        home.resolve("config/server.properties").toString(),
                        "--override",
                        "listeners=PLAINTEXT://" + bootstrap,
                        "--override",
                        "log.dirs=" + dir.resolve("data")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        awaitPort(port, log);
        try (Stream<Path> libs = Files.list(home.resolve("libs"))) {
            assertThat(libs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wharf-server-")))
                    .as("the first start made the start-up archive for this JDK, and left no temporary file")
                    .anyMatch(n -> n.endsWith(".jsa"))
                    .noneMatch(n -> n.endsWith(".tmp"));
        }

        produceAndConsume(bootstrap);

        Result version = run(home.resolve("bin/wharf").toString(), "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).isEqualTo("Wharf " + System.getProperty("wharf.version") + "\n");
        Result describe =
                run(home.resolve("bin/wharf").toString(), "topic", "describe", "from-tarball", "-b", bootstrap);
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        assertThat(describe.out()).containsPattern("from-tarball +0 +1 +1 +1 +0 +1");
        Result quickstart = run(
                java(),
                "-cp",
                home.resolve("libs") + File.separator + "*",
                System.getProperty("wharf.quickstart"),
                bootstrap);
        assertThat(quickstart.exitCode()).as(quickstart.toString()).isZero();
        assertThat(quickstart.out()).contains("sent key-1 to partition 0 at offset 0", "received key-3: hello 3");

        broker.destroy();
        assertThat(broker.waitFor(30, TimeUnit.SECONDS))
                .as("the broker stops on SIGTERM")
                .isTrue();
        assertThat(broker.exitValue()).isEqualTo(143);
        assertThat(Files.readString(log))
                .contains("Wharf stopped in")
                .as("one line per event, none from SLF4J about itself")
                .doesNotContain("SLF4J");
    }

    private Path unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("wharf.tarball"));
        assertThat(tarball).exists();
        Result untar = run("tar", "-xzf", tarball.toString(), "-C", dir.toString());
        assertThat(untar.exitCode()).as(untar.toString()).isZero();
        return dir.resolve("wharf-" + System.getProperty("wharf.version"));
    }

    private static void produceAndConsume(String bootstrap) throws Exception {
        Map<String, Object> settings = Map.of("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            assertThat(producer.send(new ProducerRecord<>("from-tarball", "k", "v"))
                            .get()
                            .offset())
                    .isZero();
        }
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("from-tarball", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("k");
                assertThat(r.value()).isEqualTo("v");
            });
        }
    }

    /** A process with only a JDK to go on: JAVA_HOME and a PATH of the base system directories. */
    private ProcessBuilder bare(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PATH", BARE_PATH);
        return builder;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Result(int exitCode, String out, String err) {}

    private Result run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = bare(List.of(command))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("%s finishes", List.of(command))
                .isTrue();
        return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }

    private void awaitPort(int port, Path log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(broker.isAlive())
                    .as("the broker is running; its log:%n%s", read(log))
                    .isTrue();
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the broker did not open port " + port + "; its log:\n" + read(log));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
