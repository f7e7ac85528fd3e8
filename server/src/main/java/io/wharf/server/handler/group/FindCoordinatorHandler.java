package io.wharf.server.handler.group;

import io.wharf.common.Endpoint;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator: for groups, this broker (after making sure {@code __consumer_offsets} exists and is loaded).
 * Transaction coordinators are refused at once with INVALID_REQUEST, so a transactional producer fails fast instead
 * of retrying until its timeout: transactions are not implemented yet.
 */
public final class FindCoordinatorHandler implements ApiHandler {

    private static final byte GROUP = 0;

    private final BrokerServices services;

    public FindCoordinatorHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        FindCoordinatorRequestData body = request.body();
        List<String> keys = request.version() >= 4 ? body.coordinatorKeys() : List.of(body.key());
        if (body.keyType() != GROUP) {
            String message = body.keyType() == 1
                    ? "Transactions are not supported by this broker yet"
                    : "Coordinator type " + body.keyType() + " is not supported by this broker";
            return CompletableFuture.completedFuture(answer(request, keys, Errors.INVALID_REQUEST, message, null));
        }
        return services.groups().coordinator().handle((coordinator, failure) -> {
            if (failure != null) {
                return answer(request, keys, Errors.COORDINATOR_NOT_AVAILABLE, failure.getMessage(), null);
            }
            BrokerImage self = services.replicas().image().brokers().get(services.nodeId());
            Optional<Endpoint> endpoint = self == null ? Optional.empty() : self.endpoint(context.listenerName());
            if (endpoint.isEmpty()) {
                return answer(request, keys, Errors.COORDINATOR_NOT_AVAILABLE, "No endpoint for this listener", null);
            }
            return answer(request, keys, Errors.NONE, null, endpoint.get());
        });
    }

    private ApiMessage answer(KafkaRequest request, List<String> keys, Errors error, String message, Endpoint at) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        int nodeId = at == null ? -1 : services.nodeId();
        String host = at == null ? "" : at.host();
        int port = at == null ? -1 : at.port();
        if (request.version() < 4) {
            return response.setErrorCode(error.code())
                    .setErrorMessage(message)
                    .setNodeId(nodeId)
                    .setHost(host)
                    .setPort(port);
        }
        for (String key : keys) {
            boolean emptyKey = key == null || key.isEmpty();
            response.coordinators()
                    .add(new FindCoordinatorResponseData.Coordinator()
                            .setKey(key)
                            .setErrorCode((emptyKey && error == Errors.NONE ? Errors.INVALID_REQUEST : error).code())
                            .setErrorMessage(emptyKey && error == Errors.NONE ? "The key is empty" : message)
                            .setNodeId(nodeId)
                            .setHost(host)
                            .setPort(port));
        }
        return response;
    }
}
