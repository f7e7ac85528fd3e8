package io.wharf.amqp.connection;

import java.util.LinkedHashMap;
import java.util.Map;

/** The server-properties table of connection.start: who Wharf is and the capabilities clients look for. */
final class ServerProperties {

    private ServerProperties() {}

    static Map<String, Object> table(String version) {
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("publisher_confirms", true);
        capabilities.put("exchange_exchange_bindings", true);
        capabilities.put("basic.nack", true);
        capabilities.put("consumer_cancel_notify", true);
        capabilities.put("connection.blocked", true);
        capabilities.put("authentication_failure_close", true);
        capabilities.put("per_consumer_qos", true);
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("product", "Wharf");
        table.put("version", version);
        table.put("platform", "Java " + Runtime.version().feature());
        table.put("information", "Wharf: a log and a queue, speaking Kafka and AMQP 0-9-1");
        table.put("cluster_name", "wharf");
        table.put("capabilities", capabilities);
        return table;
    }
}
