package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.common.timer.DelayTimer;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.protocol.wire.WireRecords;
import io.wharf.replication.PartitionReplica;
import io.wharf.replication.ReplicaException;
import io.wharf.server.BrokerServices;
import io.wharf.storage.AppendResult;
import io.wharf.storage.LogException;
import io.wharf.storage.producer.ProducerStateManager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Produce: appends each partition's batch as leader and answers per partition. {@code acks=0} gets no response;
 * {@code acks=1} is answered once the batch is in the log; {@code acks=all} once it is also on disk when the topic's
 * flush policy is {@code acks-all} (group commit), or within {@code timeoutMs} with REQUEST_TIMED_OUT.
 *
 * <p>Versions 0-2 are advertised (librdkafka refuses brokers whose range starts above 0) but not served: Kafka 4
 * removed them, and so does Wharf.
 */
public final class ProduceHandler implements ApiHandler {

    private static final CompletableFuture<Void> APPENDED = CompletableFuture.completedFuture(null);

    /** From this version (transaction version 2) a transactional produce adds its partitions to the transaction. */
    private static final short FIRST_ADDING_VERSION = 12;

    private final BrokerServices services;
    /** Per connection, when its last transactional produce has been appended (its handling ran). */
    private final Map<Object, CompletableFuture<Void>> transactionalAppends = new ConcurrentHashMap<>();

    public ProduceHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public short advertisedMinVersion() {
        return 0;
    }

    /** An acks=all batch waiting to be committed: in every in-sync replica (on disk, under acks-all). */
    private record DurabilityWait(
            CompletableFuture<Void> durable,
            ProduceResponseData.PartitionProduceResponse response,
            PartitionReplica partition,
            int minInsync) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ProduceRequestData body = request.body();
        short acks = body.acks();
        if (acks != 0 && acks != 1 && acks != -1) {
            return CompletableFuture.completedFuture(
                    request.errorResponse(Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, not " + acks));
        }
        if (body.transactionalId() != null) {
            // Verification completes asynchronously, so the appends of one connection's transactional produces are
            // chained in arrival order: a producer's later batch must not overtake an earlier one (its sequence).
            Map<TopicPartition, Object> guards = new HashMap<>();
            Object connection = context.connection();
            CompletableFuture<Void> previous = transactionalAppends.getOrDefault(connection, APPENDED);
            CompletableFuture<CompletableFuture<ApiMessage>> appended = services.transactionVerifier()
                    .retryWhileEnding(() -> verifyTransaction(request, body, guards))
                    .thenCombine(previous, (error, ignored) -> error)
                    .thenApply(error -> produce(context, request, error, guards));
            CompletableFuture<Void> tail = appended.handle((ignored, failure) -> null);
            transactionalAppends.put(connection, tail);
            tail.whenComplete((ignored, failure) -> transactionalAppends.remove(connection, tail));
            return appended.thenCompose(response -> response);
        }
        return produce(context, request, Errors.NONE, Map.of());
    }

    /**
     * Asks the transaction coordinator whether every partition of this transactional produce is in the producer's open
     * transaction (KIP-890 part 1), so that a write the client retried after its transaction ended is refused; from
     * version 12 (transaction version 2) the coordinator adds them instead. Each attempt takes its guards afresh: a
     * marker that came since the last one dropped them.
     */
    private CompletableFuture<Errors> verifyTransaction(
            KafkaRequest request, ProduceRequestData body, Map<TopicPartition, Object> guards) {
        guards.clear();
        Set<TopicPartition> partitions = new HashSet<>();
        long producerId = -1;
        short epoch = -1;
        BatchView batch = new BatchView();
        for (ProduceRequestData.TopicProduceData topicData : body.topicData()) {
            String name = request.version() >= 13
                    ? services.replicas()
                            .topicName(Topics.fromKafka(topicData.topicId()))
                            .orElse(null)
                    : topicData.name();
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                ByteBuffer records = WireRecords.buffer(partitionData.records());
                if (name == null
                        || partitionData.index() < 0
                        || records == null
                        || records.remaining() < BatchView.HEADER_SIZE) {
                    continue;
                }
                batch.wrap(records, records.position());
                if (!batch.isTransactional()) {
                    continue;
                }
                producerId = batch.producerId();
                epoch = batch.producerEpoch();
                TopicPartition tp = new TopicPartition(name, partitionData.index());
                Optional<PartitionReplica> local = services.replicas().partition(tp);
                if (local.isEmpty()) {
                    continue; // refused as not led here when appended
                }
                ProducerStateManager producers = local.get().log().producerState();
                Object verified = producers.verifiedGuard(producerId, epoch);
                if (verified != null) {
                    guards.put(tp, verified); // its transaction here was verified and has had no marker since
                } else {
                    guards.put(tp, producers.verificationGuard(producerId));
                    partitions.add(tp);
                }
            }
        }
        if (partitions.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        return services.transactionVerifier()
                .verifyOnce(
                        body.transactionalId(),
                        producerId,
                        epoch,
                        partitions,
                        request.version() >= FIRST_ADDING_VERSION);
    }

    private CompletableFuture<ApiMessage> produce(
            RequestContext context, KafkaRequest request, Errors txnError, Map<TopicPartition, Object> guards) {
        ProduceRequestData body = request.body();
        short acks = body.acks();
        ProduceResponseData response = new ProduceResponseData();
        List<DurabilityWait> waits = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : body.topicData()) {
            Optional<TopicImage> topic = request.version() >= 13
                    ? services.replicas()
                            .topicName(Topics.fromKafka(topicData.topicId()))
                            .flatMap(n -> services.replicas().image().topic(n))
                    : services.replicas().image().topic(topicData.name());
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topicData.name())
                    .setTopicId(topicData.topicId() == null ? Uuid.ZERO_UUID : topicData.topicId());
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                ProduceResponseData.PartitionProduceResponse partitionResponse =
                        new ProduceResponseData.PartitionProduceResponse()
                                .setIndex(partitionData.index())
                                .setBaseOffset(-1)
                                .setLogAppendTimeMs(-1)
                                .setLogStartOffset(-1);
                topicResponse.partitionResponses().add(partitionResponse);
                append(request.version(), body, topic, partitionData, partitionResponse, waits, txnError, guards);
            }
            response.responses().add(topicResponse);
        }
        if (acks == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (waits.isEmpty()) {
            return CompletableFuture.completedFuture(withLeaderHints(response, context, request.version()));
        }
        // Answered when every batch is committed or failed, or when timeoutMs has passed on the broker's clock.
        CompletableFuture<Void> settled = new CompletableFuture<>();
        DelayTimer.Scheduled timeout =
                services.timer().schedule(Math.max(0, body.timeoutMs()), () -> settled.complete(null));
        CompletableFuture.allOf(waits.stream().map(DurabilityWait::durable).toArray(CompletableFuture[]::new))
                .whenComplete((ok, failure) -> {
                    timeout.cancel();
                    settled.complete(null);
                });
        return settled.thenApply(ignored -> {
            for (DurabilityWait wait : waits) {
                if (!wait.durable().isDone()) {
                    fail(
                            wait.response(),
                            Errors.REQUEST_TIMED_OUT,
                            "The batch was appended but not committed by the in-sync replicas within" + " timeoutMs="
                                    + body.timeoutMs());
                } else if (wait.durable().isCompletedExceptionally()) {
                    Throwable failure = wait.durable().handle((ok, e) -> e).join();
                    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                    if (cause instanceof ReplicaException replica) {
                        fail(wait.response(), ErrorMapping.of(replica.error()), replica.getMessage());
                    } else {
                        fail(wait.response(), Errors.KAFKA_STORAGE_ERROR, "The batch could not be fsynced");
                    }
                } else if (wait.partition().assignment().isr().size() < wait.minInsync()) {
                    fail(
                            wait.response(),
                            Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                            "The batch was appended, but the ISR shrank below min.insync.replicas=" + wait.minInsync()
                                    + " while waiting");
                }
            }
            return withLeaderHints(response, context, request.version());
        });
    }

    /** Names the new leader of each partition refused as not led here (v10+, KIP-951). */
    private ProduceResponseData withLeaderHints(ProduceResponseData response, RequestContext context, short version) {
        if (version < 10) {
            return response;
        }
        LeaderHints hints = new LeaderHints(services.replicas().image(), context.listenerName());
        for (ProduceResponseData.TopicProduceResponse topic : response.responses()) {
            String name = version >= 13
                    ? services.replicas()
                            .topicName(Topics.fromKafka(topic.topicId()))
                            .orElse(null)
                    : topic.name();
            for (ProduceResponseData.PartitionProduceResponse p : topic.partitionResponses()) {
                if (name != null && LeaderHints.wantsHint(p.errorCode())) {
                    hints.leaderOf(new TopicPartition(name, p.index()))
                            .ifPresent(leader -> p.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch()
                                    .setLeaderId(leader.leaderId())
                                    .setLeaderEpoch(leader.leaderEpoch())));
                }
            }
        }
        hints.endpoints()
                .forEach((id, endpoint) -> response.nodeEndpoints()
                        .add(new ProduceResponseData.NodeEndpoint()
                                .setNodeId(id)
                                .setHost(endpoint.host())
                                .setPort(endpoint.port())
                                .setRack(hints.rack(id))));
        return response;
    }

    private void append(
            short version,
            ProduceRequestData body,
            Optional<TopicImage> topic,
            ProduceRequestData.PartitionProduceData partitionData,
            ProduceResponseData.PartitionProduceResponse response,
            List<DurabilityWait> waits,
            Errors txnError,
            Map<TopicPartition, Object> guards) {
        if (topic.isEmpty()) {
            fail(response, version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            return;
        }
        if (partitionData.index() < 0) {
            fail(response, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + partitionData.index() + " does not exist");
            return;
        }
        TopicPartition tp = new TopicPartition(topic.get().name(), partitionData.index());
        LeaderEpochs.Led led = LeaderEpochs.find(services, tp, LeaderEpochs.NO_EPOCH);
        if (led.error() != Errors.NONE) {
            fail(response, led.error(), null);
            return;
        }
        PartitionReplica partition = led.partition();
        if (txnError != Errors.NONE) {
            fail(response, txnError, "The transaction coordinator did not verify this partition in the transaction");
            return;
        }
        ByteBuffer records = WireRecords.buffer(partitionData.records());
        if (records == null) {
            fail(response, Errors.INVALID_RECORD, "The partition's records are missing");
            return;
        }
        int minInsync = partition.minInsyncReplicas();
        if (body.acks() == -1) {
            if (partition.assignment().isr().size() < minInsync) {
                fail(
                        response,
                        Errors.NOT_ENOUGH_REPLICAS,
                        "min.insync.replicas=" + minInsync + " but only "
                                + partition.assignment().isr().size() + " replica(s) are in sync");
                return;
            }
        }
        try {
            Object guard = guards.get(tp);
            if (guard == null && body.transactionalId() != null && isTransactional(records)) {
                // Not led here when the request was verified: the producer looks for the leader and sends again.
                fail(response, Errors.NOT_LEADER_OR_FOLLOWER, "The partition moved while the produce was verified");
                return;
            }
            if (body.transactionalId() == null && isTransactional(records)) {
                // Unverifiable: it would open a transaction in the partition that no coordinator knows to end.
                fail(response, Errors.INVALID_RECORD, "A transactional batch needs the request's transactional id");
                return;
            }
            AppendResult result = partition.appendAsLeader(records, guard);
            response.setBaseOffset(result.firstOffset())
                    .setLogAppendTimeMs(result.logAppendTimeMs())
                    .setLogStartOffset(result.logStartOffset());
            if (body.acks() == -1 && partition.acksWaitForCommit()) {
                waits.add(new DurabilityWait(
                        partition.awaitCommitted(result.lastOffset() + 1), response, partition, minInsync));
            }
        } catch (LogException e) {
            fail(response, ErrorMapping.of(e.error()), e.getMessage());
        } catch (ReplicaException e) {
            fail(response, ErrorMapping.of(e.error()), e.getMessage());
        }
    }

    private static boolean isTransactional(ByteBuffer records) {
        return records.remaining() >= BatchView.HEADER_SIZE
                && new BatchView().wrap(records, records.position()).isTransactional();
    }

    private static void fail(ProduceResponseData.PartitionProduceResponse response, Errors error, String message) {
        response.setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(-1)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
    }
}
