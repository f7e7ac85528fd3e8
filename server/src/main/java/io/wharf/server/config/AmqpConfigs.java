package io.wharf.server.config;

import io.wharf.amqp.AmqpConfig;
import io.wharf.common.config.ConfigKey;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of the AMQP 0-9-1 front end. Its listeners are those of {@code listeners} named {@code AMQP} (or mapped to
 * {@code AMQP} in {@code listener.security.protocol.map}).
 */
public final class AmqpConfigs {

    /** The listener name (and security protocol) that speaks AMQP 0-9-1 rather than Kafka's protocol. */
    public static final String AMQP_LISTENER = "AMQP";

    public static final ConfigKey<Integer> CHANNEL_MAX = ConfigKey.integer("wharf.amqp.channel.max", 2047)
            .atLeast(1)
            .doc("The most channels an AMQP connection may open (offered in connection.tune).")
            .build();
    public static final ConfigKey<Integer> FRAME_MAX_BYTES = ConfigKey.integer("wharf.amqp.frame.max.bytes", 131072)
            .atLeast(4096)
            .doc("The largest AMQP frame, offered in connection.tune; a larger frame closes its connection"
                    + " (501 FRAME_ERROR).")
            .build();
    public static final ConfigKey<Integer> HEARTBEAT_SECONDS = ConfigKey.integer("wharf.amqp.heartbeat.seconds", 60)
            .atLeast(0)
            .doc("The AMQP heartbeat offered in connection.tune; a connection silent for two heartbeats is closed."
                    + " 0 offers none.")
            .build();
    public static final ConfigKey<Integer> MESSAGE_MAX_BYTES = ConfigKey.integer(
                    "wharf.amqp.message.max.bytes", 128 << 20)
            .atLeast(1)
            .doc("The largest AMQP message body; a larger one closes its channel (406 PRECONDITION_FAILED).")
            .build();
    public static final ConfigKey<List<String>> USERS = ConfigKey.list("wharf.amqp.users", List.of("guest:guest"))
            .doc("The AMQP users, as user:password, checked by the PLAIN and AMQPLAIN mechanisms.")
            .build();
    public static final ConfigKey<List<String>> LOOPBACK_USERS = ConfigKey.list(
                    "wharf.amqp.loopback.users", List.of("guest"))
            .doc("AMQP users who may log in from this machine's loopback interface only (RabbitMQ's loopback_users).")
            .build();
    public static final ConfigKey<Long> MEMORY_HIGH_WATERMARK_BYTES = ConfigKey.longKey(
                    "wharf.amqp.memory.high.watermark.bytes", 256L << 20)
            .atLeast(1)
            .doc("Message bytes held by AMQP queues past which publishing connections are blocked"
                    + " (connection.blocked, their sockets no longer read) until the queues drain below 80% of it.")
            .build();

    public static final List<ConfigKey<?>> KEYS = List.of(
            CHANNEL_MAX,
            FRAME_MAX_BYTES,
            HEARTBEAT_SECONDS,
            MESSAGE_MAX_BYTES,
            USERS,
            LOOPBACK_USERS,
            MEMORY_HIGH_WATERMARK_BYTES);

    private AmqpConfigs() {}

    /** The front end's settings from a broker's config. */
    public static AmqpConfig of(BrokerConfig config) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : config.get(USERS)) {
            int colon = entry.indexOf(':');
            if (colon > 0) {
                users.put(entry.substring(0, colon).trim(), entry.substring(colon + 1));
            }
        }
        Set<String> loopback = new LinkedHashSet<>(config.get(LOOPBACK_USERS));
        return new AmqpConfig(
                config.get(CHANNEL_MAX),
                config.get(FRAME_MAX_BYTES),
                config.get(HEARTBEAT_SECONDS),
                config.get(MESSAGE_MAX_BYTES),
                users,
                loopback,
                config.get(MEMORY_HIGH_WATERMARK_BYTES));
    }
}
