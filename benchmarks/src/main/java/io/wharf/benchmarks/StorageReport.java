package io.wharf.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the storage benchmarks in alternating rounds (raw disk, then the log, then again) and prints the median rate of
 * each in MB/s next to its raw counterpart, so the ratios come from one run on one machine.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.wharf.benchmarks.StorageReport [rounds]</pre>
 */
public final class StorageReport {

    private StorageReport() {}

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batchBytes = BenchFiles.batch().remaining();
        int readBytes = LogReadBenchmark.FETCH_BYTES / batchBytes * batchBytes;
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            record("raw write", run(RawFileBenchmark.class.getName() + ".write", null, 0), batchBytes, rates);
            record("append, no fsync", append("os", 16, 1, "on"), batchBytes, rates);
            record("append, no fsync, no journal", append("os", 16, 1, "off"), batchBytes, rates);
            for (String journal : new String[] {"on", "off"}) {
                String suffix = "on".equals(journal) ? "" : ", no journal";
                for (int inFlight : new int[] {16, 64}) {
                    String name = "append, fsync, " + inFlight + " in flight" + suffix;
                    record(name, append("acks-all", inFlight, 1, journal), batchBytes, rates);
                }
                for (int partitions : new int[] {6, 60}) {
                    String name = "append, fsync, 16 in flight, " + partitions + " partitions" + suffix;
                    record(name, append("acks-all", 16, partitions, journal), batchBytes, rates);
                }
            }
            record(
                    "raw read",
                    run(LogReadBenchmark.class.getName() + ".rawRead", null, 0),
                    LogReadBenchmark.FETCH_BYTES,
                    rates);
            record("log read", run(LogReadBenchmark.class.getName() + ".logRead", null, 0), readBytes, rates);
        }
        double rawWrite = median(rates.get("raw write"));
        double rawRead = median(rates.get("raw read"));
        System.out.printf(
                "%nStorage, %d KiB batches of %d x %d B records, %d round(s), medians:%n",
                batchBytes >> 10, BenchFiles.RECORDS_PER_BATCH, BenchFiles.RECORD_BYTES, rounds);
        System.out.printf("%-52s %10s %8s  %s%n", "", "MB/s", "ratio", "per round");
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            double median = median(entry.getValue());
            double base = entry.getKey().contains("read") ? rawRead : rawWrite;
            System.out.printf(
                    "%-52s %10.0f %8.2f  %s%n",
                    entry.getKey(),
                    median,
                    median / base,
                    entry.getValue().stream().map(v -> String.format("%.0f", v)).toList());
        }
    }

    private static Collection<RunResult> append(String flushPolicy, int inFlightMax, int partitions, String journal)
            throws RunnerException {
        return run(LogAppendBenchmark.class.getName(), flushPolicy, inFlightMax, partitions, journal);
    }

    private static Collection<RunResult> run(String include, String flushPolicy, int inFlightMax)
            throws RunnerException {
        return run(include, flushPolicy, inFlightMax, 1, "on");
    }

    private static Collection<RunResult> run(
            String include, String flushPolicy, int inFlightMax, int partitions, String journal)
            throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        options.include(include.replace("$", "\\$"))
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .forks(1)
                .jvmArgsAppend("-Xmx1g", "-Dwharf.bench.dir=" + BenchFiles.scratchRoot());
        if (flushPolicy != null) {
            options.param("flushPolicy", flushPolicy)
                    .param("inFlightMax", String.valueOf(inFlightMax))
                    .param("partitions", String.valueOf(partitions))
                    .param("journal", journal);
        }
        Options built = options.build();
        return new Runner(built).run();
    }

    private static void record(
            String name, Collection<RunResult> results, int bytesPerOp, Map<String, List<Double>> rates) {
        for (RunResult result : results) {
            double opsPerSecond = result.getPrimaryResult().getScore();
            rates.computeIfAbsent(name, k -> new ArrayList<>()).add(opsPerSecond * bytesPerOp / 1e6);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
