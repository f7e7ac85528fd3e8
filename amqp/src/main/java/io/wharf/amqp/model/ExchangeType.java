package io.wharf.amqp.model;

import io.wharf.amqp.codec.AmqpException;
import io.wharf.amqp.codec.ReplyCode;

/** The exchange types, by the names exchange.declare carries. Each has an explicit code for durable records. */
public enum ExchangeType {
    DIRECT("direct", 1),
    FANOUT("fanout", 2),
    TOPIC("topic", 3),
    HEADERS("headers", 4);

    private final String wireName;
    private final int code;

    ExchangeType(String wireName, int code) {
        this.wireName = wireName;
        this.code = code;
    }

    public String wireName() {
        return wireName;
    }

    public int code() {
        return code;
    }

    /** @throws AmqpException 503 COMMAND_INVALID for a type Wharf does not have, as RabbitMQ answers */
    public static ExchangeType of(String name) {
        for (ExchangeType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw AmqpException.connection(ReplyCode.COMMAND_INVALID, "unknown exchange type '" + name + "'", 0, 0);
    }

    public static ExchangeType ofCode(int code) {
        for (ExchangeType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown exchange type code " + code);
    }
}
