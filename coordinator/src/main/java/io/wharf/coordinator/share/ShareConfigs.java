package io.wharf.coordinator.share;

/** The settings of each share group, as they are now. Implemented by the broker over its metadata; thread-safe. */
@FunctionalInterface
public interface ShareConfigs {

    ShareGroupConfig of(String groupId);
}
