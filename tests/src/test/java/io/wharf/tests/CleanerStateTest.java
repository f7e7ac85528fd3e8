package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.Wharf;
import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.cleaner.LogCleaner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cleaner's state of a compacted partition as a client sees it: DescribeConfigs of the topic lists its dirty
 * ratio and clean offset, and {@code wharf topic describe} shows them. The broker's own cleaner is off, so the test
 * runs the passes itself and nothing is cleaned behind its back.
 */
class CleanerStateTest {

    private static final String TOPIC = "kept-latest";

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(Map.of("log.cleaner.enable", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static Config describe(Admin admin) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        return admin.describeConfigs(List.of(resource))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource);
    }

    private static double dirtyRatio(Config config) {
        return Double.parseDouble(config.get("wharf.cleaner.dirty.ratio.0").value());
    }

    private static long cleanOffset(Config config) {
        return Long.parseLong(config.get("wharf.cleaner.clean.offset.0").value());
    }

    /** The dirty ratio {@code wharf topic describe --output json} prints for partition 0. */
    private static double cliDirtyRatio() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Wharf.commandLine(new ByteArrayInputStream(new byte[0]), out, err)
                .execute("topic", "describe", TOPIC, "--output", "json", "-b", broker.bootstrapServers());
        assertThat(exit).as(err.toString(UTF_8)).isZero();
        Matcher matcher = Pattern.compile("\"dirtyRatio\":([0-9.Ee-]+)").matcher(out.toString(UTF_8));
        assertThat(matcher.find()).as(out.toString(UTF_8)).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void aCompactedTopicShowsItsDirtyRatioBeforeAndAfterCleaning() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)
                            .configs(Map.of(
                                    "cleanup.policy", "compact",
                                    "segment.bytes", "4096",
                                    "min.cleanable.dirty.ratio", "0.01"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            for (int round = 0; round < 30; round++) {
                ConsumerGroupTest.produceTo(broker, TOPIC, 0, 20);
            }
            PartitionLog log = broker.broker()
                    .services()
                    .replicas()
                    .partition(new TopicPartition(TOPIC, 0))
                    .orElseThrow()
                    .log();

            Config before = describe(admin);
            assertThat(dirtyRatio(before)).as("nothing cleaned yet").isGreaterThan(0.9);
            assertThat(cleanOffset(before)).isZero();
            assertThat(before.get("wharf.cleaner.dirty.ratio.0").isReadOnly()).isTrue();
            assertThat(cliDirtyRatio()).isEqualTo(dirtyRatio(before));

            try (LogCleaner cleaner =
                    new LogCleaner(LogCleaner.Settings.defaults(), Clock.system(), () -> List.of(log))) {
                for (int pass = 0; pass < 10 && cleaner.cleanDirtiest().isPresent(); pass++) {
                    // Each pass cleans what its map holds; a few cover the whole log.
                }
            }

            Config after = describe(admin);
            assertThat(dirtyRatio(after)).as("all cleanable bytes are clean").isLessThan(0.01);
            assertThat(cleanOffset(after)).isEqualTo(log.cleanerCheckpoint()).isGreaterThan(0);
            assertThat(cliDirtyRatio()).isEqualTo(dirtyRatio(after));
        }
    }

    @Test
    void aTopicThatIsNotCompactedHasNoCleanerState() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("deleted-by-age", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "deleted-by-age");
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource);
            assertThat(config.entries()).noneMatch(e -> e.name().startsWith("wharf.cleaner."));
        }
    }
}
