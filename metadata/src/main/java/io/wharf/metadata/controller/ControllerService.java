package io.wharf.metadata.controller;

import io.wharf.common.io.Bytes;
import io.wharf.metadata.MetadataBatches;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.NotLeaderException;
import io.wharf.metadata.image.MetadataImage;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Serves the requests other nodes forward to this node's controller ({@link ControllerProtocol}): decodes, runs them
 * on the {@link QuorumController}, and encodes the answer. A node that is not the active controller answers "not
 * the controller", naming the leader it knows of, and the sender tries again there. Stateless; thread-safe.
 */
public final class ControllerService {

    private final QuorumController controller;
    private final MetadataLog log;
    private final ScheduledExecutorService waits = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wharf-image-fetches");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param log the log whose image brokers without a controller role fetch
     */
    public ControllerService(QuorumController controller, MetadataLog log) {
        this.controller = controller;
        this.log = log;
    }

    /**
     * Answers a broker that keeps no metadata log itself: the whole image (as records), once it is past the
     * broker's, or its leader alone when nothing changed within the wait.
     */
    private CompletableFuture<byte[]> fetchImage(long offset, int maxWaitMs) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        long deadline =
                System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Math.min(maxWaitMs, 5_000));
        Runnable check = new Runnable() {
            @Override
            public void run() {
                MetadataImage image = log.image();
                if (image.offset() > offset || System.nanoTime() >= deadline) {
                    MetadataLog.LeaderAndEpoch leader = log.leader();
                    Bytes.Writer out = ControllerProtocol.answered(image.offset())
                            .int32(leader.leaderId())
                            .int32(leader.epoch());
                    if (image.offset() > offset) {
                        out.int8(1).bytes(MetadataBatches.encode(image.toRecords()));
                    } else {
                        out.int8(0);
                    }
                    answer.complete(out.toArray());
                } else {
                    waits.schedule(this, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
        };
        check.run();
        return answer;
    }

    /** Stops the waits of image fetches. */
    public void close() {
        waits.shutdownNow();
    }

    /** Answers one request; never fails (a failure is an answer too). */
    public CompletableFuture<byte[]> handle(ByteBuffer request) {
        Bytes.Reader in = ControllerProtocol.reader(request);
        CompletableFuture<byte[]> answer;
        try {
            int type = in.int8();
            answer = switch (type) {
                case ControllerProtocol.CREATE_TOPICS -> {
                    boolean validateOnly = in.int8() == 1;
                    yield run(
                            controller.createTopics(ControllerProtocol.readNewTopics(in), validateOnly),
                            ControllerProtocol::topicResults);
                }
                case ControllerProtocol.DELETE_TOPICS ->
                    run(
                            controller.deleteTopics(ControllerProtocol.readTopicRefs(in)),
                            ControllerProtocol::topicResults);
                case ControllerProtocol.CREATE_PARTITIONS -> {
                    boolean validateOnly = in.int8() == 1;
                    yield run(
                            controller.createPartitions(ControllerProtocol.readNewPartitions(in), validateOnly),
                            ControllerProtocol::topicResults);
                }
                case ControllerProtocol.ALTER_CONFIGS -> {
                    boolean validateOnly = in.int8() == 1;
                    yield run(
                            controller.alterConfigs(ControllerProtocol.readConfigChanges(in), validateOnly),
                            ControllerProtocol::changeResults);
                }
                case ControllerProtocol.PRODUCER_IDS ->
                    run(controller.allocateProducerIds(in.int32(), in.int32()), (out, first) -> out.int64(first));
                case ControllerProtocol.REGISTER_BROKER ->
                    run(
                            controller.registerBroker(ControllerProtocol.readRegistration(in)),
                            ControllerProtocol::registrationResult);
                case ControllerProtocol.HEARTBEAT ->
                    run(
                            controller.heartbeat(ControllerProtocol.readHeartbeat(in)),
                            ControllerProtocol::heartbeatResult);
                case ControllerProtocol.ALTER_ISRS ->
                    run(controller.alterIsrs(ControllerProtocol.readIsrChanges(in)), ControllerProtocol::isrResults);
                case ControllerProtocol.REASSIGN ->
                    run(
                            controller.alterReassignments(ControllerProtocol.readReassignments(in)),
                            ControllerProtocol::partitionResults);
                case ControllerProtocol.ELECT_LEADERS -> {
                    LeaderElection election = LeaderElection.ofCode(in.int8());
                    yield run(
                            controller.electLeaders(election, ControllerProtocol.readPartitionRefs(in)),
                            ControllerProtocol::partitionResults);
                }
                case ControllerProtocol.FETCH_IMAGE -> fetchImage(in.int64(), in.int32());
                case ControllerProtocol.DESCRIBE_QUORUM ->
                    run(controller.describeQuorum(), ControllerProtocol::quorumState);
                default ->
                    CompletableFuture.completedFuture(
                            ControllerProtocol.failed("unknown controller request type " + type));
            };
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ControllerProtocol.failed("malformed request: " + e.getMessage()));
        }
        return answer;
    }

    private static <T> CompletableFuture<byte[]> run(
            CompletableFuture<Controller.Committed<T>> call, BiConsumer<Bytes.Writer, T> encode) {
        return call.handle((committed, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                if (cause instanceof NotLeaderException notLeader) {
                    return ControllerProtocol.notController(notLeader.leaderHint());
                }
                return ControllerProtocol.failed(String.valueOf(cause.getMessage()));
            }
            Bytes.Writer out = ControllerProtocol.answered(committed.offset());
            encode.accept(out, committed.result());
            return out.toArray();
        });
    }

    /** A handler for a transport that only delivers bytes. */
    public Function<ByteBuffer, CompletableFuture<byte[]>> asHandler() {
        return this::handle;
    }
}
