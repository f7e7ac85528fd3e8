/**
 * The seeded, deterministic simulation of replication and leader election: real partition replicas over real logs
 * and the controller's real planners, with the network, the threads, fsync completion, crashes and time simulated by
 * one event queue ({@link io.wharf.tests.simulation.Simulation}), and the invariants of replication checked after
 * every event ({@link io.wharf.tests.simulation.ReplicationChecker}). {@link
 * io.wharf.tests.simulation.ReplicationSimulation} is one run; {@code ReplicationSimulationTest} runs many. ARCHITECTURE.md
 * ("The replication simulation") says what is real, what is simulated, and what is checked.
 */
package io.wharf.tests.simulation;
