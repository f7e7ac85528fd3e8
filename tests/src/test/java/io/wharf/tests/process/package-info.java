/**
 * Fault tests against real {@code wharf server} processes: a cluster of broker JVMs started, killed (SIGKILL),
 * paused (SIGSTOP / SIGCONT), stopped (SIGTERM, a controlled shutdown) and restarted by the test, optionally each in
 * a network namespace of its own so that the network between them can be cut; an idempotent {@code acks=all} load
 * that records every acknowledged record; and a check that reads everything back.
 *
 * <p>Every test is bounded in rounds and time; {@code -Dwharf.faults.rounds=N} runs more rounds (see the README,
 * "Fault tests"). A test signals only the processes it started, and tears down processes and namespaces even when it
 * fails.
 */
package io.wharf.tests.process;
