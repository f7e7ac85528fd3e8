/**
 * What every Wharf module shares: the {@link io.wharf.common.Clock} that all time comes from, the
 * {@link io.wharf.common.Invariants} helper for checks that stay on in production, and
 * {@link io.wharf.common.TopicPartition}, the name of one partition.
 *
 * <p>This module depends on the JDK and SLF4J only.
 */
package io.wharf.common;
