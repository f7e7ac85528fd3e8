package io.wharf.server.handler.group;

import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator: for a group, the broker that leads the partition of {@code __consumer_offsets} the group lives in
 * (after making sure the topic exists), which is where its shard is loaded; for a share-partition (key type 2, v6+,
 * key {@code group:topicId:partition}), the broker that leads the partition of {@code __share_group_state} it hashes
 * to; for a transactional id (key type 1), the broker that leads the partition of {@code __transaction_state} the id
 * hashes to. A partition without a leader on an active broker is COORDINATOR_NOT_AVAILABLE, which clients retry.
 */
public final class FindCoordinatorHandler implements ApiHandler {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private static final byte SHARE = 2;
    private static final short FIRST_VERSION_WITH_SHARE = 6;

    private final BrokerServices services;

    public FindCoordinatorHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    /** Where one key's coordinator is, or why it cannot be found. */
    private record Found(Errors error, String message, int nodeId, Endpoint endpoint) {
        static Found failed(Errors error, String message) {
            return new Found(error, message, -1, null);
        }
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        FindCoordinatorRequestData body = request.body();
        List<String> keys = request.version() >= 4 ? body.coordinatorKeys() : List.of(body.key());
        if (body.keyType() == SHARE && request.version() >= FIRST_VERSION_WITH_SHARE) {
            return services.shares().coordinator().handle((coordinator, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                    return answer(
                            request, keys, k -> Found.failed(Errors.COORDINATOR_NOT_AVAILABLE, cause.getMessage()));
                }
                return answer(
                        request,
                        keys,
                        key -> shareKey(key)
                                .map(k -> locate(context, ShareCoordinator.TOPIC, coordinator.partitionFor(k)))
                                .orElseGet(() -> Found.failed(
                                        Errors.INVALID_REQUEST, "A share coordinator key is group:topicId:partition")));
            });
        }
        if (body.keyType() == TRANSACTION) {
            return services.transactions().coordinator().handle((coordinator, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                    return answer(
                            request, keys, k -> Found.failed(Errors.COORDINATOR_NOT_AVAILABLE, cause.getMessage()));
                }
                return answer(
                        request,
                        keys,
                        key -> locate(context, TransactionCoordinator.TOPIC, coordinator.partitionFor(key)));
            });
        }
        if (body.keyType() != GROUP) {
            String message = "Coordinator type " + body.keyType() + " is not supported by this broker";
            return CompletableFuture.completedFuture(
                    answer(request, keys, k -> Found.failed(Errors.INVALID_REQUEST, message)));
        }
        return services.groups().coordinator().handle((coordinator, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                return answer(request, keys, k -> Found.failed(Errors.COORDINATOR_NOT_AVAILABLE, cause.getMessage()));
            }
            return answer(request, keys, key -> locate(context, GroupCoordinator.TOPIC, coordinator.partitionFor(key)));
        });
    }

    /** The share-partition a share coordinator key names, Kafka's {@code group:topicId:partition}. */
    private static Optional<SharePartitionKey> shareKey(String key) {
        int last = key.lastIndexOf(':');
        int middle = last <= 0 ? -1 : key.lastIndexOf(':', last - 1);
        if (middle <= 0) {
            return Optional.empty();
        }
        try {
            TopicId topic = TopicId.parse(key.substring(middle + 1, last));
            int partition = Integer.parseInt(key.substring(last + 1));
            return partition < 0
                    ? Optional.empty()
                    : Optional.of(new SharePartitionKey(key.substring(0, middle), topic, partition));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The leader of partition {@code partition} of the internal topic {@code topic}, on the caller's listener. */
    private Found locate(RequestContext context, String topic, int partition) {
        MetadataImage image = services.replicas().image();
        int leader = image.topic(topic)
                .map(t -> t.partitions().get(partition))
                .map(p -> p.leader())
                .orElse(-1);
        Optional<BrokerImage> broker = image.broker(leader).filter(BrokerImage::isActive);
        if (broker.isEmpty()) {
            return Found.failed(Errors.COORDINATOR_NOT_AVAILABLE, topic + "-" + partition + " has no active leader");
        }
        Optional<Endpoint> endpoint = broker.get().endpoint(context.listenerName());
        if (endpoint.isEmpty()) {
            return Found.failed(Errors.COORDINATOR_NOT_AVAILABLE, "No endpoint for this listener");
        }
        return new Found(Errors.NONE, null, leader, endpoint.get());
    }

    private ApiMessage answer(KafkaRequest request, List<String> keys, Function<String, Found> find) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.version() < 4) {
            Found found = find.apply(keys.get(0));
            return response.setErrorCode(found.error().code())
                    .setErrorMessage(found.message())
                    .setNodeId(found.nodeId())
                    .setHost(found.endpoint() == null ? "" : found.endpoint().host())
                    .setPort(found.endpoint() == null ? -1 : found.endpoint().port());
        }
        for (String key : keys) {
            boolean emptyKey = key == null || key.isEmpty();
            Found found = emptyKey ? Found.failed(Errors.INVALID_REQUEST, "The key is empty") : find.apply(key);
            response.coordinators()
                    .add(new FindCoordinatorResponseData.Coordinator()
                            .setKey(key)
                            .setErrorCode(found.error().code())
                            .setErrorMessage(found.message())
                            .setNodeId(found.nodeId())
                            .setHost(
                                    found.endpoint() == null
                                            ? ""
                                            : found.endpoint().host())
                            .setPort(
                                    found.endpoint() == null
                                            ? -1
                                            : found.endpoint().port()));
        }
        return response;
    }
}
