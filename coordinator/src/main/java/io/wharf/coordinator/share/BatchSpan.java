package io.wharf.coordinator.share;

/** One record batch of a partition log: its offsets and its size, what a share fetch sends whole. */
public record BatchSpan(long baseOffset, long lastOffset, int sizeInBytes) {}
