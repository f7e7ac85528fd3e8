package io.wharf.server.share;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.share.DeadLetters;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.NewTopic;
import io.wharf.metadata.controller.TopicResult;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.protocol.record.RecordReader;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.TopicConfigs;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.storage.LogException;
import io.wharf.storage.LogSlice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Copies records a share group archived to its dead-letter topic ({@code errors.deadletterqueue.topic.name}), as
 * KIP-1191 describes: the original key, value and headers (less {@code wharf.delay.ms} and {@code wharf.ttl.ms}, so a
 * copy is neither delayed nor expired again), stamped with the time of the copy, plus headers that say where it came
 * from and why: {@code __dlq.errors.topic}, {@code .partition}, {@code .offset}, {@code .group},
 * {@code .delivery.count} and {@code .message}. Copies of partition {@code p} go to partition {@code p} modulo the
 * dead-letter topic's partition count, in offset order.
 *
 * <p>The originals are read from the source partition, which this broker leads (the share-partition leader writes
 * its copies), and the copies go to the dead-letter partition's leader, wherever it is ({@link DeadLetterProducer}).
 * The topic must allow it ({@code errors.deadletterqueue.group.enable=true}); when it does not exist, it is created
 * with that setting if {@code errors.deadletterqueue.auto.create.topics.enable}. Thread-safe.
 */
public final class DeadLetterWriter implements DeadLetters {

    static final String TOPIC_HEADER = "__dlq.errors.topic";
    static final String PARTITION_HEADER = "__dlq.errors.partition";
    static final String OFFSET_HEADER = "__dlq.errors.offset";
    static final String GROUP_HEADER = "__dlq.errors.group";
    static final String DELIVERY_COUNT_HEADER = "__dlq.errors.delivery.count";
    static final String MESSAGE_HEADER = "__dlq.errors.message";

    private static final int READ_BYTES = 64 << 10;
    private static final int BATCH_BYTES_MAX = 256 << 10;

    private final BrokerConfig config;
    private final Controller controller;
    private final ReplicaManager replicas;
    private final DeadLetterProducer producer;
    private final Executor executor;
    private final Clock clock;

    /** @param brokers reaches the dead-letter partition's leader when it is another broker */
    public DeadLetterWriter(
            BrokerConfig config,
            Controller controller,
            ReplicaManager replicas,
            InterBrokerClient brokers,
            Executor executor,
            Clock clock) {
        this.config = config;
        this.controller = controller;
        this.replicas = replicas;
        this.producer = new DeadLetterProducer(replicas, brokers);
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Void> write(SharePartitionKey source, String topic, List<Letter> letters) {
        return deadLetterTopic(topic)
                .thenComposeAsync(
                        dlq -> {
                            try {
                                return append(source, dlq, letters);
                            } catch (LogException e) {
                                // The dead-letter log refuses the copies (too large for the topic): they will never be
                                // written.
                                return CompletableFuture.failedFuture(new DeadLetters.Refused(e.getMessage()));
                            }
                        },
                        executor);
    }

    private CompletableFuture<TopicImage> deadLetterTopic(String topic) {
        Optional<TopicImage> existing = replicas.image().topic(topic);
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(existing.get());
        }
        if (!config.get(BrokerConfig.DEAD_LETTER_AUTO_CREATE)) {
            return CompletableFuture.failedFuture(new DeadLetters.Refused("dead-letter topic " + topic
                    + " does not exist and errors.deadletterqueue.auto.create.topics.enable is false"));
        }
        NewTopic newTopic = new NewTopic(
                topic,
                config.get(BrokerConfig.NUM_PARTITIONS),
                config.get(BrokerConfig.DEFAULT_REPLICATION_FACTOR).shortValue(),
                Map.of(),
                Map.of(TopicConfigs.DEAD_LETTER_GROUP_ENABLE.name(), "true"));
        return controller
                .createTopics(List.of(newTopic), false)
                .thenApply(Controller.Committed::result)
                .thenCompose(results -> {
                    Optional<TopicImage> created = replicas.image().topic(topic);
                    if (created.isPresent()) {
                        return CompletableFuture.completedFuture(created.get());
                    }
                    TopicResult result = results.get(0);
                    if (result.isSuccess() || result.error() == MetadataError.TOPIC_ALREADY_EXISTS) {
                        // Created (here or by another leader) but not in this broker's metadata yet: try again.
                        return CompletableFuture.failedFuture(new IllegalStateException(
                                "dead-letter topic " + topic + " is not in this broker's metadata yet"));
                    }
                    return CompletableFuture.failedFuture(new DeadLetters.Refused(
                            "cannot create dead-letter topic " + topic + ": " + result.message()));
                });
    }

    private CompletableFuture<Void> append(SharePartitionKey source, TopicImage dlq, List<Letter> letters) {
        boolean enabled = Boolean.parseBoolean(replicas.configs()
                .topic(dlq.name(), TopicConfigs.DEAD_LETTER_GROUP_ENABLE)
                .value());
        if (!enabled) {
            return CompletableFuture.failedFuture(new DeadLetters.Refused("topic " + dlq.name()
                    + " does not allow dead letters (errors.deadletterqueue.group.enable is false)"));
        }
        Optional<String> sourceTopic = replicas.image().topic(source.topicId()).map(TopicImage::name);
        Optional<PartitionReplica> sourcePartition = sourceTopic
                .flatMap(name -> replicas.partition(new TopicPartition(name, source.partition())))
                .filter(PartitionReplica::isLeader);
        if (sourcePartition.isEmpty()) {
            // The records are still archiving: the partition's new leader writes their copies when it takes over.
            return CompletableFuture.failedFuture(
                    new IllegalStateException("this broker no longer leads the source partition of " + source));
        }
        Map<Long, Record> originals = originals(sourcePartition.get(), letters);
        long now = clock.nowMs();
        List<ByteBuffer> batches = new ArrayList<>();
        RecordBatchBuilder batch = RecordBatchBuilder.create();
        int bytes = 0;
        for (Letter letter : letters) {
            Record original = originals.get(letter.offset());
            List<Record.Header> headers = new ArrayList<>();
            if (original != null) {
                original.headers().stream()
                        .filter(h -> !h.key().equals(QueueHeaders.DELAY_MS)
                                && !h.key().equals(QueueHeaders.TTL_MS))
                        .forEach(headers::add);
            }
            headers.add(header(TOPIC_HEADER, sourceTopic.get()));
            headers.add(header(PARTITION_HEADER, String.valueOf(source.partition())));
            headers.add(header(OFFSET_HEADER, String.valueOf(letter.offset())));
            headers.add(header(GROUP_HEADER, source.groupId()));
            headers.add(header(DELIVERY_COUNT_HEADER, String.valueOf(letter.deliveries())));
            headers.add(header(MESSAGE_HEADER, letter.cause().message()));
            byte[] key = original == null ? null : original.key();
            byte[] value = original == null ? null : original.value();
            batch.add(now, key, value, headers);
            bytes += (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + 256;
            if (bytes >= BATCH_BYTES_MAX) {
                batches.add(batch.build());
                batch = RecordBatchBuilder.create();
                bytes = 0;
            }
        }
        if (batch.size() > 0) {
            batches.add(batch.build());
        }
        return producer.produce(dlq, source.partition() % dlq.partitionCount(), batches);
    }

    /** The original records of {@code letters}, by offset; those retention already deleted are missing. */
    private Map<Long, Record> originals(PartitionReplica partition, List<Letter> letters) {
        Map<Long, Record> found = new HashMap<>();
        for (Letter letter : letters) {
            long offset = letter.offset();
            if (found.containsKey(offset) || offset < partition.log().logStartOffset()) {
                continue;
            }
            try {
                LogSlice slice = partition.log().read(offset, READ_BYTES, partition.highWatermark(), true);
                for (Record record : RecordReader.records(slice.readFully())) {
                    found.put(record.offset(), record);
                }
            } catch (LogException e) {
                // Retention took it meanwhile: the copy goes without the original's key, value and headers.
            }
        }
        return found;
    }

    private static Record.Header header(String key, String value) {
        return new Record.Header(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
