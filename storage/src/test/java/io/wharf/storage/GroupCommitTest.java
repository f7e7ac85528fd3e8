package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void oneSyncServesEveryWaiterThatArrivedBeforeIt() throws Exception {
        AtomicLong end = new AtomicLong(10);
        AtomicInteger syncs = new AtomicInteger();
        CountDownLatch firstSyncStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstSync = new CountDownLatch(1);
        GroupCommit commit = new GroupCommit(
                executor,
                end::get,
                offset -> {
                    if (syncs.incrementAndGet() == 1) {
                        firstSyncStarted.countDown();
                        await(releaseFirstSync);
                    }
                },
                0);

        CompletableFuture<Void> first = commit.awaitDurable(10);
        firstSyncStarted.await(5, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 11; i <= 110; i++) {
            end.set(i);
            waiting.add(commit.awaitDurable(i));
        }
        releaseFirstSync.countDown();

        first.get(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(syncs.get()).isEqualTo(2);
        assertThat(commit.durableOffset()).isEqualTo(110);
    }

    @Test
    void waitingForWhatIsAlreadyDurableCostsNoSync() {
        AtomicInteger syncs = new AtomicInteger();
        GroupCommit commit = new GroupCommit(executor, () -> 50, offset -> syncs.incrementAndGet(), 50);

        assertThat(commit.awaitDurable(50)).isDone();
        assertThat(commit.awaitDurable(1000)).isDone();
        assertThat(syncs.get()).isZero();
    }

    @Test
    void aFailedSyncFailsTheWaitersWithAStorageError() {
        GroupCommit commit = new GroupCommit(
                executor,
                () -> 5,
                offset -> {
                    throw new IOException("disk on fire");
                },
                0);

        assertThatThrownBy(() -> commit.awaitDurable(5).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(LogException.class, e -> {
                    assertThat(e.error()).isEqualTo(LogError.KAFKA_STORAGE_ERROR);
                    assertThat(e.getMessage()).contains("disk on fire");
                });
        assertThat(commit.awaitDurable(5)).isCompletedExceptionally();
    }

    @Test
    void theLogsFlushMakesAppendsDurable() throws Exception {
        try (LogFixture fixture = new LogFixture()) {
            PartitionLog log = fixture.open(dir, LogConfig.defaults());
            List<CompletableFuture<Void>> flushes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                AppendResult result = log.append(fixture.batch("v" + i), AppendOrigin.CLIENT, 0);
                flushes.add(log.flush(result.lastOffset() + 1));
            }
            CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(log.durableOffset()).isEqualTo(200);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
