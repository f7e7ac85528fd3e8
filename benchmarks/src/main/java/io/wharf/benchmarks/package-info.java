/**
 * JMH benchmarks. {@link io.wharf.benchmarks.StorageReport} runs the storage set and prints each rate next to the raw
 * disk's, which is the ratio the storage engine is judged by. {@link io.wharf.benchmarks.EmbeddedStartup} is a plain
 * main rather than JMH, because what it measures, a cold start, is exactly what JMH's warm-up would hide.
 */
package io.wharf.benchmarks;
