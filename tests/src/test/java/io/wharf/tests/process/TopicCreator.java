package io.wharf.tests.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics ({@code <prefix><n>}, {@value #PARTITIONS} partitions of three replicas) one after the other on a
 * thread of its own, a few a second, and remembers each whose creation was confirmed (or that turned out to exist
 * when a retry of an unanswered creation was refused), so a test can check they all came through a failover.
 */
final class TopicCreator implements AutoCloseable {

    static final int PARTITIONS = 2;
    private static final int TOPICS_MAX = 40;

    private final List<String> created = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    TopicCreator(String bootstrap, String prefix) {
        thread = new Thread(() -> create(bootstrap, prefix), "topic-creator");
        thread.setDaemon(true);
        thread.start();
    }

    private void create(String bootstrap, String prefix) {
        try (Admin admin = ProcessCluster.admin(bootstrap)) {
            for (int n = 0; running.get() && n < TOPICS_MAX; n++) {
                String name = prefix + n;
                if (createOnce(admin, name) || createOnce(admin, name)) {
                    synchronized (created) {
                        created.add(name);
                    }
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean createOnce(Admin admin, String name) throws InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 3)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TopicExistsException;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    List<String> created() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(90).toMillis());
    }
}
