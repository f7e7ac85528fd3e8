package io.wharf.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.common.TopicId;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.TopicRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MetadataLog} promises, run over each implementation by a subclass: batches are applied whole and
 * in order, the image survives a restart, a snapshot changes nothing a reader can see, and a batch appended in an
 * epoch the node does not lead is never applied.
 */
public abstract class MetadataLogContract {

    @TempDir
    Path dir;

    private MetadataLog log;
    final List<MetadataImage> images = new CopyOnWriteArrayList<>();
    final List<MetadataLog.LeaderAndEpoch> leaders = new CopyOnWriteArrayList<>();

    /** Opens the log of node 1 in {@code dir}, not started. */
    protected abstract MetadataLog open(Path dir) throws Exception;

    /** Writes a snapshot of the current image and lets the log forget what it covers. */
    protected abstract void snapshot(MetadataLog log) throws Exception;

    MetadataLog start() throws Exception {
        log = open(dir);
        log.start(new MetadataLog.Listener() {
            @Override
            public void onImage(MetadataImage previous, MetadataImage current) {
                images.add(current);
            }

            @Override
            public void onLeader(MetadataLog.LeaderAndEpoch leader) {
                leaders.add(leader);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> log.leader().leaderId() == 1);
        return log;
    }

    void restart() throws Exception {
        log.close();
        images.clear();
        leaders.clear();
        start();
    }

    @AfterEach
    void close() throws Exception {
        if (log != null) {
            log.close();
        }
    }

    private static List<MetadataRecord> topic(String name) {
        return List.of(new TopicRecord(name, TopicId.random()));
    }

    @Test
    void batchesAreAppliedInOrderAndEveryImageIsDelivered() throws Exception {
        MetadataLog started = start();
        int epoch = started.leader().epoch();
        long first = started.append(epoch, topic("a")).join();
        long second = started.append(epoch, topic("b")).join();
        assertThat(second).isGreaterThan(first);
        assertThat(started.image().topics()).containsOnlyKeys("a", "b");
        assertThat(started.image().offset()).isEqualTo(second);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(images.get(images.size() - 1)).isEqualTo(started.image()));
        long[] offsets = images.stream().mapToLong(MetadataImage::offset).toArray();
        for (int i = 1; i < offsets.length; i++) {
            assertThat(offsets[i]).isGreaterThan(offsets[i - 1]);
        }
        assertThat(leaders).contains(new MetadataLog.LeaderAndEpoch(1, epoch));
    }

    @Test
    void theImageSurvivesARestart() throws Exception {
        MetadataLog started = start();
        int epoch = started.leader().epoch();
        for (int i = 0; i < 20; i++) {
            started.append(epoch, topic("t" + i)).join();
        }
        started.append(epoch, List.of(new ConfigRecord(ConfigRecord.ResourceType.TOPIC, "t3", "k", "v")))
                .join();
        MetadataImage before = started.image();
        restart();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(log.image()).isEqualTo(before));
        long next = log.append(log.leader().epoch(), topic("after")).join();
        assertThat(next).isGreaterThan(before.offset());
    }

    @Test
    void aSnapshotChangesNothingAReaderSeesAndSurvivesARestart() throws Exception {
        MetadataLog started = start();
        int epoch = started.leader().epoch();
        for (int i = 0; i < 10; i++) {
            started.append(epoch, topic("s" + i)).join();
        }
        MetadataImage before = started.image();
        snapshot(started);
        assertThat(started.image()).isEqualTo(before);
        started.append(epoch, topic("after-snapshot")).join();
        MetadataImage withAfter = started.image();
        restart();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(log.image()).isEqualTo(withAfter));
    }

    @Test
    void aBatchForAnotherEpochIsRefusedAndNeverApplied() throws Exception {
        MetadataLog started = start();
        int epoch = started.leader().epoch();
        assertThatThrownBy(() -> started.append(epoch + 7, topic("stale")).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(NotLeaderException.class);
        started.append(epoch, topic("fresh")).join();
        assertThat(started.image().topics()).containsOnlyKeys("fresh");
    }
}
