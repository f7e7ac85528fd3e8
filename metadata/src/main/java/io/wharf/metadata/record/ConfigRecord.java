package io.wharf.metadata.record;

/**
 * One config of a topic, broker or group was set, or removed when {@code value} is null.
 *
 * @param resourceName the topic name, the broker id ("" for the cluster-wide broker default), or the group id
 */
public record ConfigRecord(ResourceType resourceType, String resourceName, String key, String value)
        implements MetadataRecord {

    /** What a config belongs to. */
    public enum ResourceType {
        TOPIC,
        BROKER,
        GROUP
    }
}
