package io.wharf.server.handler;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/** The handlers of a broker, by API. */
public final class HandlerRegistry {

    private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);

    public HandlerRegistry(List<ApiHandler> registered) {
        for (ApiHandler handler : registered) {
            if (handlers.put(handler.apiKey(), handler) != null) {
                throw new IllegalArgumentException("two handlers for " + handler.apiKey());
            }
        }
    }

    public ApiHandler handler(ApiKeys key) {
        return handlers.get(key);
    }

    public Collection<ApiHandler> all() {
        return handlers.values();
    }
}
