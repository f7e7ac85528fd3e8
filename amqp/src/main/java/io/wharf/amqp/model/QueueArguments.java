package io.wharf.amqp.model;

import io.wharf.amqp.codec.AmqpException;
import io.wharf.amqp.codec.ReplyCode;
import java.util.Map;
import java.util.Set;

/**
 * The {@code x-} arguments of a queue that change how it behaves, validated at declaration. Unknown arguments are
 * kept but have no effect, as in RabbitMQ.
 *
 * @param messageTtlMs {@code x-message-ttl}, or -1
 * @param expiresMs {@code x-expires}: the queue is deleted after this long unused, or -1
 * @param maxLength {@code x-max-length}, or -1
 * @param maxLengthBytes {@code x-max-length-bytes}, or -1
 * @param rejectPublish {@code x-overflow=reject-publish} (else drop-head)
 * @param maxPriority {@code x-max-priority} 1–255, or 0 for none
 * @param deadLetterExchange {@code x-dead-letter-exchange}, or null
 * @param deadLetterRoutingKey {@code x-dead-letter-routing-key}, or null
 * @param deliveryLimit {@code x-delivery-limit}, or -1
 * @param quorum {@code x-queue-type=quorum}: redeliveries carry {@code x-delivery-count}
 */
public record QueueArguments(
        long messageTtlMs,
        long expiresMs,
        long maxLength,
        long maxLengthBytes,
        boolean rejectPublish,
        int maxPriority,
        String deadLetterExchange,
        String deadLetterRoutingKey,
        long deliveryLimit,
        boolean quorum) {

    private static final Set<String> OVERFLOWS = Set.of("drop-head", "reject-publish", "reject-publish-dlx");
    private static final Set<String> TYPES = Set.of("classic", "quorum", "stream");

    /** @throws AmqpException 406 PRECONDITION_FAILED for an argument of the wrong type or out of range */
    public static QueueArguments parse(Map<String, Object> args) {
        try {
            long ttl = nonNegative(args, "x-message-ttl");
            long expires = Arguments.number(args, "x-expires") == null ? -1 : positive(args, "x-expires");
            long maxLength = nonNegative(args, "x-max-length");
            long maxBytes = nonNegative(args, "x-max-length-bytes");
            String overflow = Arguments.string(args, "x-overflow");
            if (overflow != null && !OVERFLOWS.contains(overflow)) {
                throw new IllegalArgumentException("invalid x-overflow " + overflow);
            }
            Long priority = Arguments.number(args, "x-max-priority");
            if (priority != null && (priority < 0 || priority > 255)) {
                throw new IllegalArgumentException("x-max-priority must be between 0 and 255");
            }
            String type = Arguments.string(args, "x-queue-type");
            if (type != null && !TYPES.contains(type)) {
                throw new IllegalArgumentException("invalid x-queue-type " + type);
            }
            long limit = nonNegative(args, "x-delivery-limit");
            return new QueueArguments(
                    ttl,
                    expires,
                    maxLength,
                    maxBytes,
                    overflow != null && overflow.startsWith("reject-publish"),
                    priority == null ? 0 : priority.intValue(),
                    Arguments.string(args, "x-dead-letter-exchange"),
                    Arguments.string(args, "x-dead-letter-routing-key"),
                    limit,
                    "quorum".equals(type));
        } catch (IllegalArgumentException e) {
            throw AmqpException.channel(ReplyCode.PRECONDITION_FAILED, e.getMessage());
        }
    }

    private static long nonNegative(Map<String, Object> args, String name) {
        Long value = Arguments.number(args, name);
        if (value == null) {
            return -1;
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    private static long positive(Map<String, Object> args, String name) {
        long value = Arguments.number(args, name);
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
