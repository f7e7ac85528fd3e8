package io.wharf.metadata;

import io.wharf.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands the images a metadata log applies to the broker's side of a node (its replicas, coordinators, handlers) on a
 * thread of its own, so that work they cause (opening and deleting logs) never holds up the thread that applies
 * records. Images arrive in order; when several wait, only the newest is handed on, so a subscriber sees each change
 * it is told of as {@code previous → current}, where {@code previous} is the image it was told of last.
 *
 * <p>Threads: {@link #publish} from the log's apply thread; subscribers are called on the publisher's thread.
 */
public final class MetadataPublisher implements AutoCloseable {

    /** Told of every new image, in order, on the publisher's thread. */
    @FunctionalInterface
    public interface Subscriber {
        void onImage(MetadataImage previous, MetadataImage current);
    }

    private final ExecutorService thread;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicReference<MetadataImage> pending = new AtomicReference<>();
    /** Owned by the publisher thread. */
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();

    private volatile MetadataImage published = MetadataImage.EMPTY;

    public MetadataPublisher(String threadName) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code image} to be handed on; an image not yet handed on when a newer one comes is skipped. */
    public void publish(MetadataImage image) {
        if (pending.getAndSet(image) == null) {
            thread.execute(this::drain);
        }
    }

    private void drain() {
        MetadataImage next = pending.getAndSet(null);
        if (next == null || next.offset() < published.offset()) {
            return;
        }
        MetadataImage previous = published;
        for (Subscriber subscriber : subscribers) {
            subscriber.onImage(previous, next);
        }
        published = next;
        Iterator<Map.Entry<Long, List<CompletableFuture<Void>>>> due =
                waiters.headMap(next.offset(), true).entrySet().iterator();
        while (due.hasNext()) {
            due.next().getValue().forEach(f -> f.complete(null));
            due.remove();
        }
    }

    /** Adds a subscriber and tells it the newest image at once, as a change from the empty image. */
    public CompletableFuture<Void> subscribe(Subscriber subscriber) {
        return CompletableFuture.runAsync(
                () -> {
                    subscriber.onImage(MetadataImage.EMPTY, published);
                    subscribers.add(subscriber);
                },
                thread);
    }

    /** The newest image handed on to subscribers. */
    public MetadataImage image() {
        return published;
    }

    /** Completes once an image at or past {@code offset} has been handed on to every subscriber. */
    public CompletableFuture<Void> awaitOffset(long offset) {
        if (published.offset() >= offset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            if (published.offset() >= offset) {
                done.complete(null);
            } else {
                waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(done);
            }
        });
        return done;
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
