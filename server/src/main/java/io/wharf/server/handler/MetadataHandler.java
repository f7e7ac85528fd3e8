package io.wharf.server.handler;

import io.wharf.common.Endpoint;
import io.wharf.metadata.TopicNames;
import io.wharf.metadata.controller.NewTopic;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.BrokerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: the active brokers (with the addresses of the listener the client came in on), the cluster id, the node
 * admin clients should send CreateTopics and friends to ({@link BrokerServices#controllerId()}), and topics with
 * their ids and partitions: leader, epoch, replicas, ISR, and the replicas on brokers that are not active as offline.
 * A partition without a leader is LEADER_NOT_AVAILABLE, which clients retry. Asking for an unknown topic creates it
 * when both the client and {@code auto.create.topics.enable} allow it.
 */
public final class MetadataHandler implements ApiHandler {

    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final BrokerServices services;

    public MetadataHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        MetadataRequestData body = request.body();
        MetadataImage image = services.replicas().image();
        List<MetadataRequestData.MetadataRequestTopic> requested = body.topics();
        boolean allowCreate = request.version() < 4 || body.allowAutoTopicCreation();
        if (requested != null && allowCreate && services.config().get(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE)) {
            image = autoCreate(image, requested);
        }
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(services.clusterId())
                .setControllerId(services.controllerId())
                .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        for (BrokerImage broker : image.activeBrokers().values()) {
            Optional<Endpoint> endpoint = broker.endpoint(context.listenerName());
            endpoint.ifPresent(e -> response.brokers()
                    .add(new MetadataResponseData.MetadataResponseBroker()
                            .setNodeId(broker.brokerId())
                            .setHost(e.host())
                            .setPort(e.port())
                            .setRack(broker.rack())));
        }
        if (requested == null) {
            for (TopicImage topic : image.topics().values()) {
                response.topics().add(describe(image, topic));
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic wanted : requested) {
                response.topics().add(describe(image, wanted));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private MetadataImage autoCreate(MetadataImage image, List<MetadataRequestData.MetadataRequestTopic> requested) {
        List<NewTopic> missing = new ArrayList<>();
        for (MetadataRequestData.MetadataRequestTopic wanted : requested) {
            String name = wanted.name();
            if (name != null
                    && image.topic(name).isEmpty()
                    && TopicNames.problem(name) == null
                    && !Topics.isInternal(name)) {
                missing.add(new NewTopic(name, -1, (short) -1, Map.of(), Map.of()));
            }
        }
        if (missing.isEmpty()) {
            return image;
        }
        services.controller().createTopics(missing, false).join();
        return services.replicas().image();
    }

    private MetadataResponseData.MetadataResponseTopic describe(
            MetadataImage image, MetadataRequestData.MetadataRequestTopic wanted) {
        Uuid id = wanted.topicId();
        if (wanted.name() == null && id != null && !id.equals(Uuid.ZERO_UUID)) {
            return image.topic(Topics.fromKafka(id))
                    .map(t -> describe(image, t))
                    .orElseGet(() -> new MetadataResponseData.MetadataResponseTopic()
                            .setTopicId(id)
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        }
        String name = wanted.name();
        Optional<TopicImage> topic = image.topic(name);
        if (topic.isPresent()) {
            return describe(image, topic.get());
        }
        Errors error =
                TopicNames.problem(name) != null ? Errors.INVALID_TOPIC_EXCEPTION : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        return new MetadataResponseData.MetadataResponseTopic()
                .setName(name)
                .setErrorCode(error.code())
                .setIsInternal(Topics.isInternal(name));
    }

    private MetadataResponseData.MetadataResponseTopic describe(MetadataImage image, TopicImage topic) {
        MetadataResponseData.MetadataResponseTopic result = new MetadataResponseData.MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(Topics.toKafka(topic.id()))
                .setIsInternal(Topics.isInternal(topic.name()))
                .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        for (PartitionImage partition : topic.partitions().values()) {
            int leader = PartitionViews.servingLeader(image, partition);
            result.partitions()
                    .add(new MetadataResponseData.MetadataResponsePartition()
                            .setErrorCode(leader < 0 ? Errors.LEADER_NOT_AVAILABLE.code() : Errors.NONE.code())
                            .setPartitionIndex(partition.partition())
                            .setLeaderId(leader)
                            .setLeaderEpoch(partition.leaderEpoch())
                            .setReplicaNodes(partition.replicas())
                            .setIsrNodes(partition.isr())
                            .setOfflineReplicas(PartitionViews.offlineReplicas(image, partition)));
        }
        return result;
    }
}
