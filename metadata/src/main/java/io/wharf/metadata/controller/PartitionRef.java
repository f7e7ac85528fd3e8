package io.wharf.metadata.controller;

/** A partition named by topic and index. */
public record PartitionRef(String topic, int partition) {}
