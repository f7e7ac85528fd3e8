package io.wharf.common;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * A topic's unique id: 128 random bits, written as 22 characters of URL-safe base64 like Kafka's topic ids, so the
 * same id reads the same in Wharf's logs and in a Kafka client.
 */
public record TopicId(long mostSignificantBits, long leastSignificantBits) {

    /** The id that means "no id". */
    public static final TopicId ZERO = new TopicId(0L, 0L);

    /** Reserved by Kafka for its metadata topic; never given to a user topic. */
    private static final TopicId RESERVED = new TopicId(0L, 1L);

    /** A new random id, never {@link #ZERO} or reserved, and never written with a leading '-'. */
    public static TopicId random() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            TopicId id = new TopicId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
            if (!id.equals(ZERO) && !id.equals(RESERVED) && !id.toString().startsWith("-")) {
                return id;
            }
        }
    }

    /** Parses the 22-character form. */
    public static TopicId parse(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a topic id has 16 bytes, " + text + " has " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new TopicId(buffer.getLong(), buffer.getLong());
    }

    @Override
    public String toString() {
        ByteBuffer buffer = ByteBuffer.allocate(16).putLong(mostSignificantBits).putLong(leastSignificantBits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }
}
