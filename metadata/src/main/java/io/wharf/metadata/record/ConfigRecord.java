package io.wharf.metadata.record;

/**
 * One config of a topic, broker or group was set, or removed when {@code value} is null.
 *
 * @param resourceName the topic name, the broker id ("" for the cluster-wide broker default), or the group id
 */
public record ConfigRecord(ResourceType resourceType, String resourceName, String key, String value)
        implements MetadataRecord {

    /** What a config belongs to, with the code written to disk. */
    public enum ResourceType {
        TOPIC(0),
        BROKER(1),
        GROUP(2);

        private final int code;

        ResourceType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** @throws IllegalArgumentException for a code no type has */
        public static ResourceType ofCode(int code) {
            for (ResourceType type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown config resource type " + code);
        }
    }
}
