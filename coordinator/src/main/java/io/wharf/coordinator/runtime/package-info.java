/**
 * The coordinator runtime: one shard per internal partition, each with its own serial execution, its records and
 * timers. An operation computes records and a response; the runtime appends the records, replays them into the shard,
 * and answers once they are durable.
 */
package io.wharf.coordinator.runtime;
