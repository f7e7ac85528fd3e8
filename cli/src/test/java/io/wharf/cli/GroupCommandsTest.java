package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wharf group list|describe|reset-offsets|delete} and {@code wharf consume --group}, end to end. They need the
 * broker's group coordinator (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, OffsetCommit, OffsetFetch,
 * ListGroups, DescribeGroups, DeleteGroups). Each test uses its own topic and group.
 */
@WharfBroker
class GroupCommandsTest {

    private String bootstrap;
    private Cli cli;

    @BeforeEach
    void connect(EmbeddedBroker broker) {
        bootstrap = broker.bootstrapServers();
        cli = new Cli(bootstrap);
    }

    /** A topic of two partitions with five records each, values {@code <topic>-<partition>-<i>}. */
    private void fill(String topic) throws Exception {
        assertThat(cli.run("topic", "create", topic, "-p", "2").exitCode()).isZero();
        for (int partition = 0; partition < 2; partition++) {
            List<String[]> records = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                records.add(new String[] {null, topic + "-" + partition + "-" + i});
            }
            Records.send(bootstrap, topic, partition, records);
        }
    }

    /** The partition rows of {@code group describe}, split into columns. */
    private List<String[]> describeRows(String group) {
        Cli.Result result = cli.run("group", "describe", group);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.outLines();
        int header = lines.indexOf(
                lines.stream().filter(l -> l.startsWith("TOPIC")).findFirst().orElseThrow());
        return lines.subList(header + 1, lines.size()).stream()
                .map(l -> l.split(" +"))
                .toList();
    }

    private static long sum(List<String[]> rows, int column) {
        return rows.stream().mapToLong(r -> Long.parseLong(r[column])).sum();
    }

    @Test
    void consumingWithAGroupCommitsExactlyWhatWasPrintedAndResumesThere() throws Exception {
        assertThat(cli.run("topic", "create", "billed", "-p", "1").exitCode()).isZero();
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(new String[] {null, "bill-" + i});
        }
        Records.send(bootstrap, "billed", 0, records);

        Cli.Result first = cli.run("consume", "billed", "--group", "billing", "--from-beginning", "-n", "4");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.outLines()).containsExactly("bill-0", "bill-1", "bill-2", "bill-3");

        assertThat(describeRows("billing"))
                .singleElement()
                .satisfies(r -> assertThat(r).startsWith("billed", "0", "4", "5", "1"));

        Cli.Result rest = cli.run("consume", "billed", "--group", "billing", "--exit-at-end");
        assertThat(rest.exitCode()).as(rest.toString()).isZero();
        assertThat(rest.outLines()).containsExactly("bill-4");
        assertThat(describeRows("billing"))
                .singleElement()
                .satisfies(r -> assertThat(r).startsWith("billed", "0", "5", "5", "0"));
    }

    @Test
    void showsLagPerPartition() throws Exception {
        fill("lagging");
        assertThat(cli.run("consume", "lagging", "-g", "laggard", "--from-beginning", "-e")
                        .outLines())
                .hasSize(10);
        Records.send(bootstrap, "lagging", 1, List.of(new String[] {null, "a"}, new String[] {null, "b"}));

        List<String[]> rows = describeRows("laggard");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith("lagging", "0", "5", "5", "0");
        assertThat(rows.get(1)).startsWith("lagging", "1", "5", "7", "2");
    }

    @Test
    void aGroupThatHasReadEverythingStopsAtTheEndAtOnce() throws Exception {
        fill("drained");
        assertThat(cli.run("consume", "drained", "-g", "drainer", "--from-beginning", "-e")
                        .outLines())
                .hasSize(10);

        Cli.Result again = cli.run("consume", "drained", "-g", "drainer", "-e");

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEmpty();
        assertThat(again.errLines()).containsExactly("consumed 0 records");
    }

    @Test
    void listsGroupsWithTheirState() throws Exception {
        fill("listed-topic");
        cli.run("consume", "listed-topic", "--group", "listed", "--from-beginning", "-n", "1");

        Cli.Result plain = cli.run("group", "list");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.outLines().get(0).split(" +")).containsExactly("GROUP", "STATE", "TYPE");
        assertThat(plain.outLines()).anySatisfy(l -> assertThat(l).matches("listed +Empty +\\S+"));

        Cli.Result json = cli.run("group", "list", "-o", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("{\"group\":\"listed\",\"state\":\"Empty\",\"type\":");
    }

    @Test
    void describesActiveMembersAndWillNotResetOrDeleteTheirGroup() throws Exception {
        fill("busy-topic");
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "busy",
                ConsumerConfig.CLIENT_ID_CONFIG, "busy-member");
        try (KafkaConsumer<byte[], byte[]> member =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            member.subscribe(List.of("busy-topic"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(100));
            }
            assertThat(member.assignment()).hasSize(2);

            Cli.Result described = cli.run("group", "describe", "busy");
            assertThat(described.exitCode()).as(described.toString()).isZero();
            assertThat(described.outLines()).contains("state        Stable", "members      1");
            assertThat(describeRows("busy")).hasSize(2).allSatisfy(r -> {
                assertThat(r[5]).isNotEqualTo("-");
                assertThat(r[7]).isEqualTo("busy-member");
            });

            Cli.Result reset = cli.run("group", "reset-offsets", "busy", "--topic", "busy-topic", "--to-earliest");
            assertThat(reset.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(reset.errLines())
                    .containsExactly(
                            "wharf: group 'busy' has 1 active member(s); stop them before resetting its" + " offsets");

            Cli.Result delete = cli.run("group", "delete", "busy");
            assertThat(delete.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(delete.errLines())
                    .containsExactly("wharf: group 'busy' has active members; stop them before deleting it");
        }
    }

    @Test
    void resetOffsetsPrintsThePlanAndAppliesItOnlyWithExecute() throws Exception {
        fill("rewound");
        assertThat(cli.run("consume", "rewound", "-g", "rewind", "--from-beginning", "-e")
                        .outLines())
                .hasSize(10);

        Cli.Result dryRun = cli.run("group", "reset-offsets", "rewind", "--topic", "rewound", "--to-earliest");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.outLines().get(0).split(" +"))
                .containsExactly("TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
        assertThat(dryRun.outLines().subList(1, 3))
                .map(l -> String.join(" ", l.split(" +")))
                .containsExactly("rewound 0 5 0", "rewound 1 5 0");
        assertThat(dryRun.errLines()).containsExactly("dry run: nothing changed; add --execute to apply");
        assertThat(sum(describeRows("rewind"), 2))
                .as("unchanged by the dry run")
                .isEqualTo(10);

        Cli.Result executed =
                cli.run("group", "reset-offsets", "rewind", "--topic", "rewound", "--to-earliest", "--execute");
        assertThat(executed.exitCode()).as(executed.toString()).isZero();
        assertThat(executed.errLines()).containsExactly("reset the offsets of group rewind on 2 partition(s)");
        assertThat(sum(describeRows("rewind"), 2)).isZero();

        cli.run("group", "reset-offsets", "rewind", "--topic", "rewound:1", "--shift-by", "2", "--execute");
        List<String[]> shifted = describeRows("rewind");
        assertThat(shifted.get(0)[2]).isEqualTo("0");
        assertThat(shifted.get(1)[2]).isEqualTo("2");

        cli.run("group", "reset-offsets", "rewind", "--all-topics", "--to-offset", "100", "--execute");
        assertThat(describeRows("rewind")).allSatisfy(r -> assertThat(r[2]).isEqualTo("5"));

        cli.run("group", "reset-offsets", "rewind", "--all-topics", "--to-time", "0", "--execute");
        assertThat(describeRows("rewind")).allSatisfy(r -> assertThat(r[2]).isEqualTo("0"));
        Cli.Result replayed = cli.run("consume", "rewound", "-g", "rewind", "-e");
        assertThat(replayed.outLines()).hasSize(10);
    }

    @Test
    void resetOffsetsExplainsWhatItCannotDo() throws Exception {
        fill("reset-errors");

        Cli.Result unknownTopic =
                cli.run("group", "reset-offsets", "nobody", "--topic", "no-such-topic", "--to-latest");
        assertThat(unknownTopic.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(unknownTopic.errLines()).containsExactly("wharf: topic 'no-such-topic' does not exist");

        Cli.Result nothingToShift =
                cli.run("group", "reset-offsets", "nobody", "--topic", "reset-errors", "--shift-by", "1");
        assertThat(nothingToShift.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(nothingToShift.err())
                .startsWith("wharf: cannot shift reset-errors-0: the group has no committed offset there");

        Cli.Result noOffsets = cli.run("group", "reset-offsets", "nobody", "--all-topics", "--to-latest");
        assertThat(noOffsets.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noOffsets.errLines())
                .containsExactly("wharf: group 'nobody' has no committed offsets; name topics with --topic");
    }

    @Test
    void deletesAGroupAndItsOffsets() throws Exception {
        fill("deleted-topic");
        cli.run("consume", "deleted-topic", "-g", "gone", "--from-beginning", "-n", "1");

        Cli.Result deleted = cli.run("group", "delete", "gone");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).isEqualTo("deleted group gone\n");

        Cli.Result described = cli.run("group", "describe", "gone");
        assertThat(described.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(described.errLines()).containsExactly("wharf: group 'gone' does not exist");

        Cli.Result again = cli.run("group", "delete", "gone");
        assertThat(again.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(again.errLines()).containsExactly("wharf: group 'gone' does not exist");
    }

    @Test
    void describesAsJson() throws Exception {
        fill("json-topic");
        cli.run("consume", "json-topic", "-g", "json-group", "--from-beginning", "-e");

        Cli.Result result = cli.run("group", "describe", "json-group", "-o", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .startsWith("{\"group\":\"json-group\",\"state\":\"Empty\",")
                .contains("{\"topic\":\"json-topic\",\"partition\":0,\"currentOffset\":5,\"logEndOffset\":5,"
                        + "\"lag\":0,\"consumerId\":null,\"host\":null,\"clientId\":null}");
    }
}
