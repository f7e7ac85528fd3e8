package io.wharf.demo;

import io.wharf.embedded.EmbeddedCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The demo's script: three brokers in this JVM, a replicated topic, a producer, a consumer group and a share group
 * working on it; then the broker that leads the most partitions is killed, the cluster elects new leaders and the
 * clients move to them; the broker is started again, catches up and rejoins every ISR; the producer stops, the
 * consumers drain, and {@link Check} compares what was acknowledged with what is in the log and what was consumed.
 */
final class Demo {

    static final String TOPIC = "demo-orders";
    private static final long FRAME_MS = 500;

    /**
     * How long each phase lasts.
     *
     * @param steady before the kill, and again after the restarted broker is back in sync
     * @param outage how long the killed broker stays down after the partitions have new leaders
     * @param drainTimeout how long the consumers get to catch up at the end
     */
    record Timing(Duration steady, Duration outage, Duration drainTimeout) {
        static Timing defaults() {
            return new Timing(Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(60));
        }
    }

    private final Screen screen;
    private final Timing timing;
    private final int recordsPerSecond;

    Demo(PrintStream out, boolean live, Timing timing, int recordsPerSecond) {
        this.screen = new Screen(out, live);
        this.timing = timing;
        this.recordsPerSecond = recordsPerSecond;
    }

    /** Runs the whole demo; true when the closing check passed. */
    boolean run() throws Exception {
        screen.line("Starting three Wharf brokers in this JVM...");
        try (EmbeddedCluster cluster = EmbeddedCluster.builder()
                .brokers(3)
                .config("default.replication.factor", "3")
                .config("min.insync.replicas", "2")
                .start()) {
            prepare(cluster.bootstrapServers());
            ClusterWatch watch = new ClusterWatch(cluster, TOPIC);
            try (Workload clients = new Workload(cluster.bootstrapServers(), TOPIC, recordsPerSecond)) {
                clients.start();
                watch.look(e -> {});
                screen.event("a producer (acks=all, idempotent), a consumer group and a share group are running");
                show("steady", watch, clients, timing.steady(), () -> false);

                int victim = watch.busiestLeader();
                screen.event("killing broker " + victim + ", the leader of the most partitions");
                long killed = System.nanoTime();
                cluster.kill(victim);
                String down = "broker " + victim + " killed";
                show(down, watch, clients, Duration.ofMinutes(2), watch::allLed);
                screen.event(String.format(
                        "every partition has a live leader again, %.1f s after the kill", seconds(killed)));
                show(down, watch, clients, timing.outage(), () -> false);

                screen.event("starting broker " + victim + " again");
                long restarted = System.nanoTime();
                CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> cluster.restart(victim));
                String back = "broker " + victim + " restarting and catching up";
                show(back, watch, clients, Duration.ofMinutes(2), () -> restart.isDone() && watch.allInSync());
                restart.join();
                screen.event(String.format(
                        "broker %d is back in every ISR, %.1f s after its restart", victim, seconds(restarted)));
                show("all brokers in sync", watch, clients, timing.steady(), () -> false);

                screen.event("stopping the producer; the consumers drain what is left");
                clients.stopProducing();
                show("draining", watch, clients, timing.drainTimeout(), () -> Check.consumersCaughtUp(clients));

                Check.Verdict verdict = Check.run(cluster.bootstrapServers(), TOPIC, clients);
                screen.line("");
                verdict.lines().forEach(screen::line);
                screen.line(verdict.passed() ? "PASSED: nothing acknowledged was lost, moved or duplicated" : "FAILED");
                return verdict.passed();
            }
        }
    }

    private void prepare(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 3))).all().get(60, TimeUnit.SECONDS);
            // The share group starts from the beginning, so it sees the records sent before it joined.
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, Workload.SHARE_GROUP),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Redraws the view every half second for {@code duration}, or until {@code done}. */
    private void show(String phase, ClusterWatch watch, Workload clients, Duration duration, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        long last = System.nanoTime();
        while (System.nanoTime() < deadline && !done.getAsBoolean()) {
            Thread.sleep(FRAME_MS);
            long now = System.nanoTime();
            List<ClusterWatch.PartitionRow> rows = watch.look(screen::event);
            screen.frame(phase, watch.brokers(), clients, rows, (now - last) / 1e9);
            last = now;
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
