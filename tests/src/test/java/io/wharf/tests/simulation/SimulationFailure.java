package io.wharf.tests.simulation;

/** An invariant of replication that a simulated run broke, or a run that went wrong in a way that is a bug. */
final class SimulationFailure extends AssertionError {

    SimulationFailure(String message) {
        super(message);
    }

    SimulationFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
