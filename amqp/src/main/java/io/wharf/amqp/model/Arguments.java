package io.wharf.amqp.model;

import com.rabbitmq.client.LongString;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads AMQP field tables as the broker needs them: long strings as strings, numbers of any width as longs. */
public final class Arguments {

    private Arguments() {}

    /** A copy of a table with long strings turned into strings, so equal arguments compare equal. */
    public static Map<String, Object> normalise(Map<String, Object> table) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (table != null) {
            table.forEach((k, v) -> out.put(k, v instanceof LongString s ? s.toString() : v));
        }
        return out;
    }

    /** A string argument, or null when absent. */
    public static String string(Map<String, Object> table, String name) {
        Object value = table == null ? null : table.get(name);
        return value == null ? null : value.toString();
    }

    /**
     * A numeric argument, or null when absent.
     *
     * @throws IllegalArgumentException when present but not a number
     */
    public static Long number(Map<String, Object> table, String name) {
        Object value = table == null ? null : table.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException(name + " must be a number, not " + value);
    }
}
