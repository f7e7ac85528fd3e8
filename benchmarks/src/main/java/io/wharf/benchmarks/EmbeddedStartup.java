package io.wharf.benchmarks;

import io.wharf.common.Clock;
import io.wharf.embedded.EmbeddedBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast an embedded broker is useful, and how much memory it takes: the time from
 * {@link EmbeddedBroker#start()} to the first acknowledged produce (a new producer, {@code acks=all}, one record to a
 * topic the broker creates on the way), then heap used and resident set size. Measured in this JVM several times
 * after a warm-up start, and in fresh JVMs (this class with {@code --once}), where class loading and the JIT's cold
 * start are part of the figure. Prints medians.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.wharf.benchmarks.EmbeddedStartup [starts] [fresh JVMs]</pre>
 */
public final class EmbeddedStartup {

    private static final String ONCE = "--once";
    private static final String RESULT = "RESULT ";
    private static final double MIB = 1024.0 * 1024.0;

    /**
     * One start.
     *
     * @param startMs {@link EmbeddedBroker#start()} until it returned
     * @param firstAckMs then until the first record was acknowledged
     * @param heapMib heap in use after a full GC, with the broker and the producer open
     * @param rssMib resident set size at the same moment
     */
    private record Sample(double startMs, double firstAckMs, double heapMib, double rssMib) {
        double totalMs() {
            return startMs + firstAckMs;
        }

        String encode() {
            return String.format(Locale.ROOT, "%s%.3f %.3f %.3f %.3f", RESULT, startMs, firstAckMs, heapMib, rssMib);
        }

        static Sample decode(String line) {
            String[] f = line.substring(RESULT.length()).trim().split(" ");
            return new Sample(
                    Double.parseDouble(f[0]),
                    Double.parseDouble(f[1]),
                    Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]));
        }
    }

    private EmbeddedStartup() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(ONCE)) {
            System.out.println(measure(true).encode());
            return;
        }
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int jvms = args.length > 1 ? Integer.parseInt(args[1]) : 5;

        List<Sample> fresh = new ArrayList<>();
        List<Double> launchToAckMs = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            long launched = Clock.system().nanoTime();
            fresh.add(freshJvm());
            launchToAckMs.add((Clock.system().nanoTime() - launched) / 1e6);
        }
        measure(false);
        List<Sample> warm = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            warm.add(measure(i == starts - 1));
        }

        System.out.printf("%nEmbedded broker: start() to the first acknowledged produce (new producer, acks=all,"
                + " one record, topic auto-created); medians%n");
        System.out.printf("  %-34s %8s %8s %8s%n", "", "total ms", "start ms", "ack ms");
        print("same JVM, " + starts + " starts after 1 warm-up", warm);
        print("fresh JVM, " + jvms + " runs", fresh);
        System.out.printf(
                "  %-34s %8.0f  (JVM launch to exit, as seen from outside)%n",
                "fresh JVM, whole process", median(launchToAckMs, d -> d));
        System.out.printf("%nMemory with the broker and the producer open, after a full GC; medians%n");
        System.out.printf(
                "  fresh JVM:  heap used %.1f MiB, RSS %.1f MiB%n",
                median(fresh, Sample::heapMib), median(fresh, Sample::rssMib));
        Sample last = warm.get(warm.size() - 1);
        System.out.printf(
                "  same JVM after %d starts:  heap used %.1f MiB, RSS %.1f MiB%n",
                starts + 1, last.heapMib(), last.rssMib());
    }

    private static void print(String label, List<Sample> samples) {
        double[] totals = samples.stream().mapToDouble(Sample::totalMs).sorted().toArray();
        System.out.printf(
                "  %-34s %8.0f %8.0f %8.0f %5.0f-%-6.0f%n",
                label,
                median(samples, Sample::totalMs),
                median(samples, Sample::startMs),
                median(samples, Sample::firstAckMs),
                totals[0],
                totals[totals.length - 1]);
    }

    /** Starts a broker, produces one record, and measures; memory only when asked (the GC it needs takes time). */
    private static Sample measure(boolean memory) throws Exception {
        long begin = Clock.system().nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            long started = Clock.system().nanoTime();
            Map<String, Object> settings = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("startup", "key", "value")).get(30, TimeUnit.SECONDS);
                long acknowledged = Clock.system().nanoTime();
                double heap = Double.NaN;
                double rss = Double.NaN;
                if (memory) {
                    System.gc();
                    heap = ManagementFactory.getMemoryMXBean()
                                    .getHeapMemoryUsage()
                                    .getUsed()
                            / MIB;
                    rss = residentMib();
                }
                return new Sample((started - begin) / 1e6, (acknowledged - started) / 1e6, heap, rss);
            }
        }
    }

    /** Runs {@code --once} in a new JVM with the same class path and reads its result line. */
    private static Sample freshJvm() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), EmbeddedStartup.class.getName(), ONCE)
                .redirectErrorStream(true);
        // The broker's start-up line at INFO is part of a normal start; anything below is not printed.
        builder.environment().putIfAbsent("WHARF_LOG_LEVEL", "INFO");
        Process process = builder.start();
        Sample sample = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(RESULT)) {
                    sample = Sample.decode(line);
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || sample == null) {
            throw new IllegalStateException("the measuring JVM failed:\n" + output);
        }
        return sample;
    }

    /** VmRSS from /proc/self/status; NaN where there is no /proc. */
    private static double residentMib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return Double.NaN;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static <T> double median(List<T> values, ToDoubleFunction<T> field) {
        double[] sorted = values.stream().mapToDouble(field).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
