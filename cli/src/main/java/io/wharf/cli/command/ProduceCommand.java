package io.wharf.cli.command;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Wharf;
import io.wharf.cli.client.ClientOptions;
import io.wharf.cli.client.Clients;
import io.wharf.cli.client.DurationConverter;
import io.wharf.common.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code wharf produce}: sends records read from standard input or a file, one per line unless told otherwise,
 * optionally split into key and value, with the same headers on every record. Stops at the first record the broker
 * refuses. Picocli runs it once, on the caller's thread; acknowledgements are counted on the producer's thread.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "produce",
        description = "Send records read from standard input or a file, one per line by default.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  echo hello | wharf produce greetings",
            "  wharf produce orders --file orders.txt --key-separator ':'",
            "  wharf produce events --record-separator '\\0' --header source=import < events.bin"
        })
public final class ProduceCommand implements Callable<Integer> {

    /** What a header looks like on the wire: a name and raw bytes; kafka-clients' own class is internal. */
    private record CliHeader(String key, byte[] value) implements Header {}

    @Mixin
    private ClientOptions client;

    @Parameters(paramLabel = "TOPIC", description = "The topic to send to.")
    private String topic;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Read records from FILE instead of standard input.")
    private Path file;

    @Option(
            names = {"-K", "--key-separator"},
            paramLabel = "SEP",
            description = "Split each record at the first SEP into key and value (\\t, \\n, \\0 allowed);"
                    + " a record without SEP is an error. Without this option records have no key.")
    private String keySeparator;

    @Option(
            names = "--record-separator",
            paramLabel = "SEP",
            defaultValue = "\\n",
            description = "What ends each record (default: ${DEFAULT-VALUE}, a newline; \\r\\n also works).")
    private String recordSeparator;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "KEY=VALUE",
            description = "A header to add to every record; may be repeated.")
    private List<String> headers = List.of();

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "N",
            description = "Send every record to partition N (default: by key hash, or spread when there is no key).")
    private Integer partition;

    @Option(
            names = "--acks",
            paramLabel = "ACKS",
            defaultValue = "all",
            description = "all, 1 or 0: how many replicas must have a record before it counts as sent (default:"
                    + " ${DEFAULT-VALUE}).")
    private String acks;

    @Option(
            names = "--compression",
            paramLabel = "CODEC",
            defaultValue = "none",
            description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
    private String compression;

    @Option(
            names = "--max-record-bytes",
            paramLabel = "BYTES",
            defaultValue = "1048576",
            description = "Refuse input records longer than this (default: ${DEFAULT-VALUE}).")
    private int maxRecordBytes;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show records/s and MB/s while sending and a summary at the end (default: on for --file).")
    private Boolean progress;

    @ParentCommand
    private Wharf wharf;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        byte[] separator = Escapes.separator("--record-separator", recordSeparator);
        byte[] keySplit = keySeparator == null ? null : Escapes.separator("--key-separator", keySeparator);
        List<Header> recordHeaders = parseHeaders();
        try (InputStream in = openInput();
                Clients clients = Clients.open(client)) {
            clients.checkReachable();
            if (partition != null) {
                Topics.partitions(clients, topic, partition);
            }
            KafkaProducer<byte[], byte[]> producer = clients.producer(Map.of(
                    ProducerConfig.ACKS_CONFIG,
                    acks,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    acks.equals("all"),
                    ProducerConfig.COMPRESSION_TYPE_CONFIG,
                    compression,
                    ProducerConfig.CLIENT_ID_CONFIG,
                    "wharf-produce"));
            requireTopic(clients, producer);
            boolean fromFile = file != null;
            boolean show = progress != null ? progress : fromFile;
            ProduceProgress counter = new ProduceProgress(
                    spec.commandLine().getErr(), Clock.system(), show && System.console() != null, show);
            send(producer, new RecordReader(in, separator, maxRecordBytes), keySplit, recordHeaders, counter);
            counter.finish();
            return ExitCode.OK;
        }
    }

    private void send(
            KafkaProducer<byte[], byte[]> producer,
            RecordReader reader,
            byte[] keySplit,
            List<Header> recordHeaders,
            ProduceProgress counter)
            throws IOException {
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        AtomicLong failures = new AtomicLong();
        byte[] line;
        while (firstFailure.get() == null && (line = reader.next()) != null) {
            byte[] key = null;
            byte[] value = line;
            if (keySplit != null) {
                int at = indexOf(line, keySplit);
                if (at < 0) {
                    throw CliException.usage("record " + reader.records() + " has no key separator '" + keySeparator
                            + "'; records before it were sent");
                }
                key = Arrays.copyOfRange(line, 0, at);
                value = Arrays.copyOfRange(line, at + keySplit.length, line.length);
            }
            int size = (key == null ? 0 : key.length) + value.length;
            producer.send(new ProducerRecord<>(topic, partition, key, value, recordHeaders), (metadata, error) -> {
                if (error == null) {
                    counter.acknowledged(size);
                } else {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, error);
                }
            });
            counter.tick();
        }
        producer.flush();
        if (firstFailure.get() != null) {
            Exception error = firstFailure.get();
            throw CliException.failed(
                    failures.get() + " record(s) were not sent (" + counter.records() + " were): " + error.getMessage(),
                    error);
        }
    }

    /** Sending to a topic the broker neither has nor creates would otherwise wait for the timeout on every record. */
    private void requireTopic(Clients clients, KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.partitionsFor(topic);
        } catch (TimeoutException e) {
            throw CliException.notFound("topic '" + topic + "' does not exist and the broker did not create it"
                    + " (waited " + DurationConverter.format(clients.timeout()) + ")");
        } catch (KafkaException e) {
            throw CliException.failed("cannot send to topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private void validate() {
        if (!List.of("all", "-1", "1", "0").contains(acks)) {
            throw CliException.usage("--acks must be all, 1 or 0, not '" + acks + "'");
        }
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(compression)) {
            throw CliException.usage(
                    "--compression must be none, gzip, snappy, lz4 or zstd, not '" + compression + "'");
        }
        if (maxRecordBytes < 1) {
            throw CliException.usage("--max-record-bytes must be at least 1");
        }
        if (partition != null && partition < 0) {
            throw CliException.usage("--partition must not be negative");
        }
        if (acks.equals("-1")) {
            acks = "all";
        }
    }

    private List<Header> parseHeaders() {
        List<Header> parsed = new ArrayList<>();
        for (String header : headers) {
            int equals = header.indexOf('=');
            if (equals <= 0) {
                throw CliException.usage("--header needs KEY=VALUE, got '" + header + "'");
            }
            parsed.add(new CliHeader(
                    header.substring(0, equals), header.substring(equals + 1).getBytes(StandardCharsets.UTF_8)));
        }
        return parsed;
    }

    private InputStream openInput() {
        if (file == null) {
            return wharf.stdin();
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
