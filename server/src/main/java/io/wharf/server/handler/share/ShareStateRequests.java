package io.wharf.server.handler.share;

import io.wharf.common.TopicId;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.ShareStateException;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.Topics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the share-group state handlers (KIP-932's inter-broker APIs 83 to 87) share: each partition of a request is
 * answered on its own by this broker's share coordinator, NOT_COORDINATOR when it does not serve the partition's
 * shard here (the sender looks the leader up again and retries).
 */
final class ShareStateRequests {

    /** One partition's answer: NONE and a value, or an error and its message. */
    record Answer<T>(Errors error, String message, T value) {}

    private ShareStateRequests() {}

    /**
     * Runs {@code call} for one share-partition on the local share coordinator and turns its outcome into an answer;
     * a missing coordinator or group id is answered at once.
     */
    static <T> CompletableFuture<Answer<T>> call(
            BrokerServices services,
            String groupId,
            Uuid topicId,
            int partition,
            Function<SharePartitionKey, Function<ShareCoordinator, CompletableFuture<T>>> call) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new Answer<>(Errors.INVALID_REQUEST, "GroupId can't be empty.", null));
        }
        Optional<ShareCoordinator> coordinator = services.shares().loaded();
        if (coordinator.isEmpty()) {
            return CompletableFuture.completedFuture(new Answer<>(
                    Errors.NOT_COORDINATOR, ShareCoordinator.TOPIC + " is not served by this broker", null));
        }
        TopicId topic = Topics.fromKafka(topicId);
        SharePartitionKey key = new SharePartitionKey(groupId, topic, partition);
        CompletableFuture<T> done;
        try {
            done = call.apply(key).apply(coordinator.get());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Answer<>(Errors.INVALID_REQUEST, e.getMessage(), null));
        }
        return done.handle((value, failure) -> {
            if (failure == null) {
                return new Answer<>(Errors.NONE, null, value);
            }
            Errors error = ShareCoordinator.errorFor(failure);
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            return new Answer<>(error, cause instanceof ShareStateException ? cause.getMessage() : null, null);
        });
    }

    /** Completes with {@code response} once every answer is in. */
    static <R extends ApiMessage> CompletableFuture<ApiMessage> when(List<CompletableFuture<?>> answers, R response) {
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> response);
    }
}
