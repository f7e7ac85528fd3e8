package io.wharf.metadata.controller;

import java.util.List;

/** Grow a topic to {@code totalCount} partitions, placing the new ones as {@code assignments} say (null: the default). */
public record NewPartitions(String topic, int totalCount, List<List<Integer>> assignments) {}
