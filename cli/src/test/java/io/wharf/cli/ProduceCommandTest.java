package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf produce} end to end: what it sends is read back with the plain Kafka consumer. */
@WharfBroker
class ProduceCommandTest {

    @TempDir
    Path dir;

    private String bootstrap;
    private Cli cli;

    @BeforeEach
    void connect(EmbeddedBroker broker) {
        bootstrap = broker.bootstrapServers();
        cli = new Cli(bootstrap);
    }

    @Test
    void sendsOneRecordPerLineOfStandardInputWithoutKeys() {
        Cli.Result result = cli.runWithInput("one\ntwo\n\nfour\n", "produce", "lines");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> records = Records.readAll(bootstrap, "lines");
        assertThat(records).extracting(r -> Records.text(r.value())).containsExactly("one", "two", "", "four");
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
    }

    @Test
    void splitsKeysFromValuesAndAddsHeaders() {
        cli.run("topic", "create", "keyed", "-p", "1");

        Cli.Result result =
                cli.runWithInput("k1:v:1\r\nk2:v2", "produce", "keyed", "-K", ":", "-H", "source=test", "-H", "n=1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = Records.readAll(bootstrap, "keyed");
        assertThat(records).extracting(r -> Records.text(r.key())).containsExactly("k1", "k2");
        assertThat(records).extracting(r -> Records.text(r.value())).containsExactly("v:1", "v2");
        Header[] headers = records.get(0).headers().toArray();
        assertThat(headers).extracting(Header::key).containsExactly("source", "n");
        assertThat(headers).extracting(h -> Records.text(h.value())).containsExactly("test", "1");
    }

    @Test
    void takesAnyRecordSeparatorAndAPartition() {
        cli.run("topic", "create", "separated", "-p", "3");

        Cli.Result result = cli.runWithInput(
                "a\0b\0multi\nline\0", "produce", "separated", "--record-separator", "\\0", "--partition", "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = Records.readAll(bootstrap, "separated");
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(2);
        assertThat(records).extracting(r -> Records.text(r.value())).containsExactly("a", "b", "multi\nline");
    }

    @Test
    void readsAFileAndSummarizesTheRate() throws Exception {
        Path file = dir.resolve("records.txt");
        Files.write(
                file,
                IntStream.range(0, 5000)
                        .mapToObj(i -> "key" + i + "\tvalue" + i)
                        .toList());

        Cli.Result result = cli.run("produce", "from-file", "--file", file.toString(), "-K", "\\t", "--acks", "1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err())
                .matches(
                        "produced 5,000 records \\(0\\.\\d\\d MB\\) in \\d+\\.\\d\\d s: [\\d,]+ records/s  \\d+\\.\\d\\d"
                                + " MB/s\\n");
        List<ConsumerRecord<byte[], byte[]>> records = Records.readAll(bootstrap, "from-file");
        assertThat(records).hasSize(5000);
        assertThat(records).anySatisfy(r -> {
            assertThat(Records.text(r.key())).isEqualTo("key4999");
            assertThat(Records.text(r.value())).isEqualTo("value4999");
        });
    }

    @Test
    void compressesWhenAsked() {
        Cli.Result result =
                cli.runWithInput("x".repeat(10_000) + "\n", "produce", "compressed", "--compression", "lz4");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Records.readAll(bootstrap, "compressed"))
                .singleElement()
                .satisfies(r -> assertThat(r.value()).hasSize(10_000));
    }

    @Test
    void aRecordWithoutTheKeySeparatorStopsTheCommand() {
        Cli.Result result = cli.runWithInput("k:v\nno separator\nk:v\n", "produce", "unsplit", "-K", ":");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines())
                .containsExactly("wharf: record 2 has no key separator ':'; records before it were sent");
        assertThat(Records.readAll(bootstrap, "unsplit")).hasSize(1);
    }

    @Test
    void refusesARecordLongerThanTheLimit() {
        Cli.Result result =
                cli.runWithInput("short\n" + "y".repeat(100) + "\n", "produce", "limited", "--max-record-bytes", "10");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.errLines()).containsExactly("wharf: record 2 is longer than --max-record-bytes (10)");
    }

    @Test
    void aPartitionTheTopicLacksIsNotFound() {
        cli.run("topic", "create", "small", "-p", "2");

        Cli.Result result = cli.runWithInput("x\n", "produce", "small", "--partition", "5");

        assertThat(result.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(result.errLines()).containsExactly("wharf: topic 'small' has no partition 5 (it has 2)");
    }

    @Test
    void aMissingFileIsAUsageError() {
        Cli.Result result = cli.run(
                "produce", "nowhere", "--file", dir.resolve("absent.txt").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("wharf: cannot read ").contains("absent.txt");
        assertThat(result.errLines()).hasSize(1);
    }

    @Test
    void refusesUnknownAcksAndCodecs() {
        Cli.Result acks = cli.runWithInput("x\n", "produce", "t", "--acks", "2");
        Cli.Result codec = cli.runWithInput("x\n", "produce", "t", "--compression", "brotli");

        assertThat(acks.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(acks.errLines()).containsExactly("wharf: --acks must be all, 1 or 0, not '2'");
        assertThat(codec.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(codec.err()).contains("--compression must be none, gzip, snappy, lz4 or zstd");
    }

    @Test
    void aTopicTheBrokerWillNotCreateIsNotFound() {
        try (EmbeddedBroker strict = EmbeddedBroker.builder()
                .config("auto.create.topics.enable", "false")
                .start()) {
            Cli.Result result =
                    new Cli(strict.bootstrapServers()).runWithInput("x\n", "produce", "missing", "--timeout", "1s");

            assertThat(result.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(result.errLines())
                    .containsExactly(
                            "wharf: topic 'missing' does not exist and the broker did not create it (waited 1 s)");
        }
    }

    @Test
    void sendsBytesThatAreNotText() {
        byte[] input = {(byte) 0xff, (byte) 0xfe, 0x00, '\n', (byte) 0x80};

        Cli.Result result = cli.runWithInput(input, "produce", "binary");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Records.readAll(bootstrap, "binary"))
                .extracting(ConsumerRecord::value)
                .containsExactly(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00}, new byte[] {(byte) 0x80});
    }
}
