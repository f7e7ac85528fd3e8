package io.wharf.server.handler;

import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.metadata.TopicNames;
import io.wharf.metadata.record.ConfigRecord;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The resource a DescribeConfigs or (Incremental)AlterConfigs entry is about, as Wharf keeps settings: a topic, this
 * broker (named by its node id), the cluster-wide broker default (named "") or a group (which need not exist yet).
 * Other resource types and other brokers' ids are INVALID_REQUEST; an illegal topic name is INVALID_TOPIC_EXCEPTION.
 */
record ConfigTarget(ConfigRecord.ResourceType type, String name) {

    /**
     * The target of a request's resource.
     *
     * @throws MetadataException naming why the resource cannot be described or changed here
     */
    static ConfigTarget of(byte typeId, String name, int nodeId) {
        ConfigResource.Type type = ConfigResource.Type.forId(typeId);
        if (type == ConfigResource.Type.TOPIC) {
            String problem = TopicNames.problem(name);
            if (problem != null) {
                throw new MetadataException(MetadataError.INVALID_TOPIC_EXCEPTION, problem);
            }
            return new ConfigTarget(ConfigRecord.ResourceType.TOPIC, name);
        }
        if (type == ConfigResource.Type.GROUP) {
            if (name == null || name.isEmpty()) {
                throw new MetadataException(MetadataError.INVALID_REQUEST, "A group config needs a group id.");
            }
            return new ConfigTarget(ConfigRecord.ResourceType.GROUP, name);
        }
        if (type != ConfigResource.Type.BROKER) {
            throw new MetadataException(
                    MetadataError.INVALID_REQUEST,
                    "Unsupported resource type " + type + " (" + typeId + "): Wharf keeps configs of topics,"
                            + " brokers and groups only.");
        }
        if (name == null || name.isEmpty()) {
            return new ConfigTarget(ConfigRecord.ResourceType.BROKER, "");
        }
        int brokerId;
        try {
            brokerId = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new MetadataException(
                    MetadataError.INVALID_REQUEST, "Broker id must be an integer, but it is: " + name);
        }
        if (brokerId != nodeId) {
            throw new MetadataException(
                    MetadataError.INVALID_REQUEST,
                    "Unexpected broker id, expected " + nodeId + " or empty string, but received " + name);
        }
        return new ConfigTarget(ConfigRecord.ResourceType.BROKER, name);
    }

    boolean isTopic() {
        return type == ConfigRecord.ResourceType.TOPIC;
    }

    boolean isGroup() {
        return type == ConfigRecord.ResourceType.GROUP;
    }

    /** Whether this is the cluster-wide broker default rather than one broker. */
    boolean isClusterDefault() {
        return type == ConfigRecord.ResourceType.BROKER && name.isEmpty();
    }
}
