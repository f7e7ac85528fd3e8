package io.wharf.server.handler;

import io.wharf.metadata.controller.ConfigChange;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * IncrementalAlterConfigs (and its validate-only form): SET, DELETE, APPEND to or SUBTRACT from single settings of a
 * topic, of this broker or of the cluster-wide broker default, leaving the others as they are. APPEND and SUBTRACT
 * apply to list settings only. A topic's new settings reach its logs when the replica manager applies the new image;
 * a broker default reaches every topic that does not set the key itself.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {

    private final BrokerServices services;

    public IncrementalAlterConfigsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        IncrementalAlterConfigsRequestData body = request.body();
        List<ConfigAlterations.Entry> entries = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : body.resources()) {
            entries.add(new ConfigAlterations.Entry(
                    resource.resourceType(),
                    resource.resourceName(),
                    target -> ConfigPlans.edit(target, edits(resource), services.config())));
        }
        return ConfigAlterations.alter(services, entries, body.validateOnly()).thenApply(outcomes -> {
            IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
            for (ConfigAlterations.Outcome outcome : outcomes) {
                response.responses()
                        .add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                                .setResourceType(outcome.resourceType())
                                .setResourceName(outcome.resourceName())
                                .setErrorCode(outcome.error().code())
                                .setErrorMessage(outcome.message()));
            }
            return response;
        });
    }

    private static List<ConfigChange.Edit> edits(IncrementalAlterConfigsRequestData.AlterConfigsResource resource) {
        List<ConfigChange.Edit> edits = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
            edits.add(new ConfigChange.Edit(
                    config.name(), ConfigPlans.operation(config.configOperation()), config.value()));
        }
        return edits;
    }
}
