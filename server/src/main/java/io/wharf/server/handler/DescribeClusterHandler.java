package io.wharf.server.handler;

import io.wharf.common.Endpoint;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeCluster: the cluster id, the active brokers on the caller's listener (the fenced ones too when asked, marked
 * so), and the node admin clients should send controller requests to ({@link BrokerServices#controllerId()}).
 */
public final class DescribeClusterHandler implements ApiHandler {

    private static final byte BROKERS = 1;

    private final BrokerServices services;

    public DescribeClusterHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeClusterRequestData body = request.body();
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(services.clusterId())
                .setControllerId(services.controllerId())
                .setEndpointType(BROKERS)
                .setClusterAuthorizedOperations(Integer.MIN_VALUE);
        if (request.version() >= 1 && body.endpointType() != BROKERS) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Only brokers are described; controllers are reached through them"));
        }
        boolean withFenced = request.version() >= 2 && body.includeFencedBrokers();
        for (BrokerImage broker : new TreeMap<>(services.replicas().image().brokers()).values()) {
            if (!broker.isActive() && !withFenced) {
                continue;
            }
            Optional<Endpoint> endpoint = broker.endpoint(context.listenerName());
            endpoint.ifPresent(e -> response.brokers()
                    .add(new DescribeClusterResponseData.DescribeClusterBroker()
                            .setBrokerId(broker.brokerId())
                            .setHost(e.host())
                            .setPort(e.port())
                            .setRack(broker.rack())
                            .setIsFenced(!broker.isActive())));
        }
        return CompletableFuture.completedFuture(response);
    }
}
