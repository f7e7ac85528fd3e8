package io.wharf.amqp;

import java.util.Map;
import java.util.Set;

/**
 * How the AMQP front end runs.
 *
 * @param channelMax the most channels a connection may open (offered in connection.tune)
 * @param frameMaxBytes the largest frame, offered in connection.tune and accepted before it
 * @param heartbeatSeconds the heartbeat offered in connection.tune; 0 offers none
 * @param messageMaxBytes the largest message body accepted; a larger one is 406 PRECONDITION_FAILED
 * @param users user name → password for PLAIN and AMQPLAIN
 * @param loopbackUsers users who may log in only from this machine's loopback interface
 * @param memoryHighWatermarkBytes queued message bytes past which publishing connections are blocked
 *     (connection.blocked, their sockets no longer read) until the queues drain below 80% of it
 */
public record AmqpConfig(
        int channelMax,
        int frameMaxBytes,
        int heartbeatSeconds,
        int messageMaxBytes,
        Map<String, String> users,
        Set<String> loopbackUsers,
        long memoryHighWatermarkBytes) {

    /** RabbitMQ's defaults: 2047 channels, 128 KiB frames, 60 s heartbeats, guest/guest on loopback. */
    public static AmqpConfig defaults() {
        return new AmqpConfig(2047, 131072, 60, 128 << 20, Map.of("guest", "guest"), Set.of("guest"), 256L << 20);
    }
}
