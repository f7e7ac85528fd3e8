package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kafka-clients 3.9 (the last 3.x line, still widely deployed) against the broker: it negotiates older API versions
 * than the 4.x client in this JVM, so it runs in a child JVM with its own classpath.
 */
class LegacyClientTest {

    @Test
    void theThreeNineClientProducesConsumesAndAdministers() throws Exception {
        Path libs = Path.of(System.getProperty("wharf.legacy.client.dir"));
        Path source = Path.of(System.getProperty("wharf.legacy.client.source"));
        try (var jars = Files.list(libs)) {
            assertThat(jars.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("kafka-clients-3.9"));
        }
        try (TestBroker broker = TestBroker.start()) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(
                            java, "-cp", libs + "/*", source.toString(), broker.bootstrapServers(), "5000")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("OK 5000");
        }
    }
}
