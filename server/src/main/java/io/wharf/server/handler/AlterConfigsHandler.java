package io.wharf.server.handler;

import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * AlterConfigs, the legacy form (and its validate-only form): the settings listed become all the dynamic settings of
 * a topic, of this broker or of the cluster-wide broker default; any not listed are removed. The rules on keys and
 * values are those of IncrementalAlterConfigs ({@link DynamicConfigRules}).
 */
public final class AlterConfigsHandler implements ApiHandler {

    private final BrokerServices services;

    public AlterConfigsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        AlterConfigsRequestData body = request.body();
        List<ConfigAlterations.Entry> entries = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource resource : body.resources()) {
            entries.add(new ConfigAlterations.Entry(
                    resource.resourceType(),
                    resource.resourceName(),
                    target -> ConfigPlans.replace(target, settings(resource), services.config())));
        }
        return ConfigAlterations.alter(services, entries, body.validateOnly()).thenApply(outcomes -> {
            AlterConfigsResponseData response = new AlterConfigsResponseData();
            for (ConfigAlterations.Outcome outcome : outcomes) {
                response.responses()
                        .add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                                .setResourceType(outcome.resourceType())
                                .setResourceName(outcome.resourceName())
                                .setErrorCode(outcome.error().code())
                                .setErrorMessage(outcome.message()));
            }
            return response;
        });
    }

    private static Map<String, String> settings(AlterConfigsRequestData.AlterConfigsResource resource) {
        Map<String, String> settings = new HashMap<>();
        for (AlterConfigsRequestData.AlterableConfig config : resource.configs()) {
            if (settings.containsKey(config.name())) {
                throw new MetadataException(
                        MetadataError.INVALID_REQUEST, "Error due to duplicate config keys: " + config.name());
            }
            settings.put(config.name(), config.value());
        }
        return settings;
    }
}
