package io.wharf.amqp.model;

import java.util.Map;

/**
 * A binding from an exchange to a queue or to another exchange, with its routing key and arguments (what a headers
 * exchange matches on).
 *
 * @param toQueue whether the destination is a queue (else an exchange)
 */
public record Binding(String source, String destination, boolean toQueue, String key, Map<String, Object> arguments) {

    public Binding {
        arguments = Map.copyOf(Arguments.normalise(arguments));
    }
}
