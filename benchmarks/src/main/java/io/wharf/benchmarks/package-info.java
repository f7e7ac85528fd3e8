/**
 * JMH benchmarks. {@link io.wharf.benchmarks.StorageReport} runs the storage set and prints each rate next to the raw
 * disk's, which is the ratio the storage engine is judged by.
 */
package io.wharf.benchmarks;
