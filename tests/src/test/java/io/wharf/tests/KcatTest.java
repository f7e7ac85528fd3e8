package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kcat, which is built on librdkafka, the C client most non-Java Kafka clients use: metadata (-L), produce (-P) and
 * consume (-C). .ci/run installs kcat; on a developer machine without it these tests are skipped unless CI is set,
 * where a missing kcat fails them.
 */
class KcatTest {

    private static TestBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/kcat")) || onPath("kcat");
        if (System.getenv("CI") != null) {
            assertThat(present)
                    .as("kcat must be installed in CI (.ci/run installs it)")
                    .isTrue();
        }
        Assumptions.assumeTrue(present, "kcat is not installed");
        broker = TestBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Runs kcat with {@code args}, feeding {@code input}; returns its standard output; fails on a non-zero exit. */
    private String kcat(Path input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(dir.resolve("kcat.err").toFile());
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("kcat %s failed: %s", args, Files.readString(dir.resolve("kcat.err")))
                .isZero();
        return new String(output, UTF_8);
    }

    @Test
    void producesAndConsumesKeyedRecords() throws Exception {
        Path input = dir.resolve("input");
        List<String> lines =
                IntStream.range(0, 1000).mapToObj(i -> "key" + i + ":value" + i).toList();
        Files.write(input, lines);

        kcat(input, "-t", "kcat-records", "-K:", "-P", "-z", "lz4");
        String consumed = kcat(null, "-t", "kcat-records", "-C", "-e", "-q", "-f", "%k:%s\\n");

        assertThat(consumed.lines().toList()).containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void listsTheBrokerAndTopics() throws Exception {
        Path input = dir.resolve("one");
        Files.writeString(input, "hello\n");
        kcat(input, "-t", "kcat-listed", "-P");

        String metadata = kcat(null, "-L", "-t", "kcat-listed");

        assertThat(metadata).contains("1 brokers:", "broker 1 at " + broker.bootstrapServers());
        assertThat(metadata).contains("topic \"kcat-listed\" with 1 partitions:", "partition 0, leader 1");
    }

    @Test
    void balancedConsumerGroupConsumesAndCommits() throws Exception {
        Path input = dir.resolve("grouped");
        List<String> lines = IntStream.range(0, 200).mapToObj(i -> "g" + i).toList();
        Files.write(input, lines);
        kcat(input, "-t", "kcat-group", "-P");

        String consumed = kcat(
                null,
                "-G",
                "kcat-consumers",
                "-c",
                "200",
                "-q",
                "-f",
                "%s\\n",
                "-X",
                "auto.offset.reset=earliest",
                "kcat-group");

        assertThat(consumed.lines().toList()).containsExactlyInAnyOrderElementsOf(lines);
        try (var admin = broker.admin()) {
            var offsets = admin.listConsumerGroupOffsets("kcat-consumers")
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            assertThat(offsets.values().stream().mapToLong(o -> o.offset()).sum())
                    .isEqualTo(200);
        }
    }

    @Test
    void consumesFromAnOffset() throws Exception {
        Path input = dir.resolve("numbers");
        Files.write(input, IntStream.range(0, 50).mapToObj(i -> "n" + i).toList());
        kcat(input, "-t", "kcat-offsets", "-P", "-p", "0");

        String tail = kcat(null, "-t", "kcat-offsets", "-p", "0", "-o", "45", "-C", "-e", "-q", "-f", "%o=%s\\n");

        assertThat(tail.lines().toList()).containsExactly("45=n45", "46=n46", "47=n47", "48=n48", "49=n49");
    }
}
