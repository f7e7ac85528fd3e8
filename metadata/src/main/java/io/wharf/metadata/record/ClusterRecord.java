package io.wharf.metadata.record;

/** The cluster's id, written once by the first controller that finds none. */
public record ClusterRecord(String clusterId) implements MetadataRecord {}
