package io.wharf.tests.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pika, the Python AMQP client (Debian's python3-pika, installed by {@code .ci/run}), publishes with confirms through
 * a topic exchange and consumes what was routed. Runs where pika is installed; in CI a missing pika fails it.
 */
class PikaTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static AmqpBrokerFixture broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import pika")
                                .start()
                                .waitFor()
                        == 0;
        if (System.getenv("CI") != null) {
            assertThat(present)
                    .as("python3-pika must be installed in CI (.ci/run installs it)")
                    .isTrue();
        }
        Assumptions.assumeTrue(present, "python3-pika is not installed");
        broker = AmqpBrokerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void pikaPublishesAndConsumesThroughATopicExchange() throws Exception {
        Path script = dir.resolve("pika_topic.py");
        try (var in = PikaTest.class.getResourceAsStream("/amqp/pika_topic.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path output = dir.resolve("pika.out");
        Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), String.valueOf(broker.port()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed.lines()).containsExactly("stock.ibm.nyse", "stock.ge.nyse", "OK");
    }
}
