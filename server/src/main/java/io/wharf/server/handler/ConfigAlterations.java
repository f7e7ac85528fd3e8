package io.wharf.server.handler;

import io.wharf.metadata.MetadataException;
import io.wharf.metadata.controller.ChangeResult;
import io.wharf.metadata.controller.ConfigChange;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * What AlterConfigs and IncrementalAlterConfigs share: each resource of a request is checked (listed once, a target
 * Wharf keeps settings for), planned, and handed to the metadata controller, which writes the changes (unless the
 * request only validates). Each resource succeeds or fails on its own, and a refused one changes nothing.
 */
final class ConfigAlterations {

    /** One resource of a request; {@code planner} throws {@link MetadataException} to refuse it. */
    record Entry(byte resourceType, String resourceName, Function<ConfigTarget, ConfigChange> planner) {}

    /** The answer for one resource, in request order. */
    record Outcome(byte resourceType, String resourceName, Errors error, String message) {}

    private record Resource(byte type, String name) {}

    private ConfigAlterations() {}

    static CompletableFuture<List<Outcome>> alter(BrokerServices services, List<Entry> entries, boolean validateOnly) {
        Map<Resource, Integer> listed = new HashMap<>();
        entries.forEach(e -> listed.merge(new Resource(e.resourceType(), e.resourceName()), 1, Integer::sum));
        Outcome[] outcomes = new Outcome[entries.size()];
        List<ConfigChange> updates = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (listed.get(new Resource(entry.resourceType(), entry.resourceName())) > 1) {
                outcomes[i] = new Outcome(
                        entry.resourceType(),
                        entry.resourceName(),
                        Errors.INVALID_REQUEST,
                        "Resource " + entry.resourceName() + " of type " + entry.resourceType()
                                + " is listed more than once.");
                continue;
            }
            try {
                ConfigTarget target = ConfigTarget.of(entry.resourceType(), entry.resourceName(), services.nodeId());
                updates.add(entry.planner().apply(target));
                positions.add(i);
            } catch (MetadataException e) {
                outcomes[i] = new Outcome(
                        entry.resourceType(), entry.resourceName(), ErrorMapping.of(e.error()), e.getMessage());
            }
        }
        if (updates.isEmpty()) {
            return CompletableFuture.completedFuture(Arrays.asList(outcomes));
        }
        return services.controller().alterConfigs(updates, validateOnly).thenApply(committed -> {
            List<ChangeResult> results = committed.result();
            for (int j = 0; j < results.size(); j++) {
                Entry entry = entries.get(positions.get(j));
                ChangeResult result = results.get(j);
                outcomes[positions.get(j)] = new Outcome(
                        entry.resourceType(), entry.resourceName(), ErrorMapping.of(result.error()), result.message());
            }
            return Arrays.asList(outcomes);
        });
    }
}
