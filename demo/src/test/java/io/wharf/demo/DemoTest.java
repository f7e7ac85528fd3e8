package io.wharf.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo end to end, with short phases: the kill, the election, the return, and a passing check. */
class DemoTest {

    @Test
    void aKilledLeaderLosesNothingAcknowledged() throws Exception {
        DemoMain.quietLogs(false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Demo.Timing timing = new Demo.Timing(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(60));

        boolean passed = new Demo(out, false, timing, 300).run();

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("killing broker")
                .containsPattern("partition \\d: leader \\d -> \\d \\(leader epoch \\d+\\)")
                .contains("every partition has a live leader again")
                .containsPattern("broker \\d is back in every ISR")
                .contains("  ok    every acknowledged record is in the log")
                .contains("  ok    no record twice in the log")
                .contains("  ok    the consumer group consumed every acknowledged record")
                .contains("  ok    the share group acknowledged every acknowledged record");
        assertThat(passed).as(output).isTrue();
    }
}
