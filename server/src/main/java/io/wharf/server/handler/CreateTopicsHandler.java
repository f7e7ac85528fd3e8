package io.wharf.server.handler;

import io.wharf.metadata.controller.NewTopic;
import io.wharf.metadata.controller.TopicResult;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.ConfigResolver;
import io.wharf.server.config.TopicConfigValidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics (and its validate-only form): each topic is checked (name, partitions, replication factor or
 * assignments, configs) and created or refused on its own. The response lists each new topic's id, partition count,
 * replication factor and every config with its value and source.
 */
public final class CreateTopicsHandler implements ApiHandler {

    private final BrokerServices services;

    public CreateTopicsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        CreateTopicsRequestData body = request.body();
        Map<String, CreateTopicsResponseData.CreatableTopicResult> results = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic topic : body.topics()) {
            if (!seen.add(topic.name())) {
                duplicated.add(topic.name());
            }
        }
        List<NewTopic> valid = new ArrayList<>();
        Map<String, Map<String, String>> configsByTopic = new HashMap<>();
        for (CreateTopicsRequestData.CreatableTopic topic : body.topics()) {
            if (duplicated.contains(topic.name())) {
                results.put(
                        topic.name(),
                        failed(
                                topic.name(),
                                Errors.INVALID_REQUEST,
                                "Create topics request contains multiple entries for topic " + topic.name()));
                continue;
            }
            Map<String, String> configs = new LinkedHashMap<>();
            topic.configs().forEach(c -> configs.put(c.name(), c.value()));
            Optional<String> problem = TopicConfigValidation.problem(configs);
            if (problem.isPresent()) {
                results.put(topic.name(), failed(topic.name(), Errors.INVALID_CONFIG, problem.get()));
                continue;
            }
            Map<Integer, List<Integer>> assignments = new HashMap<>();
            topic.assignments().forEach(a -> assignments.put(a.partitionIndex(), a.brokerIds()));
            configsByTopic.put(topic.name(), configs);
            valid.add(
                    new NewTopic(topic.name(), topic.numPartitions(), topic.replicationFactor(), assignments, configs));
            results.put(topic.name(), null);
        }
        return services.controller().createTopics(valid, body.validateOnly()).thenApply(committed -> {
            List<TopicResult> created = committed.result();
            ConfigResolver resolver = services.replicas().configs();
            for (TopicResult result : created) {
                results.put(
                        result.name(),
                        result.isSuccess()
                                ? succeeded(result, resolver, configsByTopic.get(result.name()))
                                : failed(result.name(), ErrorMapping.of(result.error()), result.message()));
            }
            CreateTopicsResponseData response = new CreateTopicsResponseData();
            results.values().forEach(response.topics()::add);
            return response;
        });
    }

    private static CreateTopicsResponseData.CreatableTopicResult failed(String name, Errors error, String message) {
        return new CreateTopicsResponseData.CreatableTopicResult()
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setNumPartitions(-1)
                .setReplicationFactor((short) -1)
                .setConfigs(null);
    }

    private static CreateTopicsResponseData.CreatableTopicResult succeeded(
            TopicResult result, ConfigResolver resolver, Map<String, String> requested) {
        CreateTopicsResponseData.CreatableTopicResult topic = new CreateTopicsResponseData.CreatableTopicResult()
                .setName(result.name())
                .setTopicId(Topics.toKafka(result.topicId()))
                .setNumPartitions(result.numPartitions())
                .setReplicationFactor((short) result.replicationFactor());
        for (ConfigResolver.Resolved resolved : resolver.describeTopic(result.name(), requested)) {
            topic.configs()
                    .add(new CreateTopicsResponseData.CreatableTopicConfigs()
                            .setName(resolved.key().name())
                            .setValue(resolved.value())
                            .setReadOnly(false)
                            .setConfigSource(resolved.source().id())
                            .setIsSensitive(false));
        }
        return topic;
    }
}
