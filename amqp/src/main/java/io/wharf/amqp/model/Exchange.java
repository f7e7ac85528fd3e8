package io.wharf.amqp.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exchange: its declared properties and the bindings that leave it. {@link #matches} decides, by the exchange's
 * type, whether a message with a routing key and headers goes along a binding. Broker thread only.
 */
public final class Exchange {

    private final String name;
    private final ExchangeType type;
    private final boolean durable;
    private final boolean autoDelete;
    private final boolean internal;
    private final Map<String, Object> arguments;
    private final List<Binding> bindings = new ArrayList<>();

    public Exchange(
            String name,
            ExchangeType type,
            boolean durable,
            boolean autoDelete,
            boolean internal,
            Map<String, Object> arguments) {
        this.name = name;
        this.type = type;
        this.durable = durable;
        this.autoDelete = autoDelete;
        this.internal = internal;
        this.arguments = Map.copyOf(Arguments.normalise(arguments));
    }

    public String name() {
        return name;
    }

    public ExchangeType type() {
        return type;
    }

    public boolean durable() {
        return durable;
    }

    public boolean autoDelete() {
        return autoDelete;
    }

    public boolean internal() {
        return internal;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    public List<Binding> bindings() {
        return bindings;
    }

    /** Whether a redeclaration with these properties is the same exchange (else 406). */
    public boolean sameAs(
            ExchangeType otherType, boolean otherDurable, boolean otherAutoDelete, boolean otherInternal) {
        return type == otherType
                && durable == otherDurable
                && autoDelete == otherAutoDelete
                && internal == otherInternal;
    }

    /** Adds a binding; an equal one already there is left as it is. */
    public boolean bind(Binding binding) {
        if (bindings.contains(binding)) {
            return false;
        }
        bindings.add(binding);
        return true;
    }

    public boolean unbind(Binding binding) {
        return bindings.remove(binding);
    }

    /** Whether a message with {@code routingKey} and {@code headers} goes along {@code binding}. */
    public boolean matches(Binding binding, String routingKey, Map<String, Object> headers) {
        return switch (type) {
            case FANOUT -> true;
            case DIRECT -> binding.key().equals(routingKey);
            case TOPIC -> TopicPattern.matches(binding.key(), routingKey);
            case HEADERS -> headersMatch(binding.arguments(), headers);
        };
    }

    /**
     * {@code x-match=all} (the default): every binding argument not starting with {@code x-} is present with an equal
     * value; {@code any}: at least one is. The {@code -with-x} variants count {@code x-} arguments too.
     */
    static boolean headersMatch(Map<String, Object> bindingArgs, Map<String, Object> headers) {
        String mode = Objects.requireNonNullElse(Arguments.string(bindingArgs, "x-match"), "all");
        boolean any = mode.startsWith("any");
        boolean withX = mode.endsWith("-with-x");
        Map<String, Object> message = Arguments.normalise(headers);
        for (Map.Entry<String, Object> entry : bindingArgs.entrySet()) {
            if (entry.getKey().equals("x-match") || (!withX && entry.getKey().startsWith("x-"))) {
                continue;
            }
            boolean hit = message.containsKey(entry.getKey())
                    && (entry.getValue() == null || valueEquals(entry.getValue(), message.get(entry.getKey())));
            if (any && hit) {
                return true;
            }
            if (!any && !hit) {
                return false;
            }
        }
        return !any;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }
}
