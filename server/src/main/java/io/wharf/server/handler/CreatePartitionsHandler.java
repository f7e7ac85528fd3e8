package io.wharf.server.handler;

import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.NewPartitions;
import io.wharf.metadata.controller.TopicResult;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreatePartitions (and its validate-only form): grows each topic to its new partition count, placing the new
 * partitions on the brokers the request assigns or, without assignments, as CreateTopics would. Each topic succeeds or
 * fails on its own: a count that does not grow is INVALID_PARTITIONS, an unknown topic UNKNOWN_TOPIC_OR_PARTITION, an
 * assignment of the wrong size or naming unknown brokers INVALID_REPLICA_ASSIGNMENT, a topic listed twice
 * INVALID_REQUEST. The replica manager creates the new logs when it applies the new image.
 */
public final class CreatePartitionsHandler implements ApiHandler {

    private final BrokerServices services;

    public CreatePartitionsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        CreatePartitionsRequestData body = request.body();
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        Map<String, Integer> listed = new HashMap<>();
        body.topics().forEach(topic -> listed.merge(topic.name(), 1, Integer::sum));
        List<NewPartitions> valid = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : body.topics()) {
            if (listed.get(topic.name()) > 1) {
                continue;
            }
            List<List<Integer>> assignments = null;
            if (topic.assignments() != null) {
                assignments = new ArrayList<>();
                for (CreatePartitionsRequestData.CreatePartitionsAssignment assignment : topic.assignments()) {
                    assignments.add(List.copyOf(assignment.brokerIds()));
                }
            }
            valid.add(new NewPartitions(topic.name(), topic.count(), assignments));
        }
        listed.forEach((name, count) -> {
            if (count > 1) {
                response.results()
                        .add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                                .setName(name)
                                .setErrorCode(Errors.INVALID_REQUEST.code())
                                .setErrorMessage("Duplicate topic name."));
            }
        });
        return services.controller()
                .createPartitions(valid, body.validateOnly())
                .thenApply(Controller.Committed::result)
                .thenApply(results -> {
                    for (TopicResult result : results) {
                        response.results()
                                .add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                                        .setName(result.name())
                                        .setErrorCode(
                                                ErrorMapping.of(result.error()).code())
                                        .setErrorMessage(result.message()));
                    }
                    return response;
                });
    }
}
