package io.wharf.metadata.record;

/**
 * One config of a topic or broker was set, or removed when {@code value} is null.
 *
 * @param resourceName the topic name, the broker id, or "" for the cluster-wide broker default
 */
public record ConfigRecord(ResourceType resourceType, String resourceName, String key, String value)
        implements MetadataRecord {

    /** What a config belongs to. */
    public enum ResourceType {
        TOPIC,
        BROKER
    }
}
