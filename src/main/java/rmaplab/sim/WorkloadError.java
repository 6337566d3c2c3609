package rmaplab.sim;

/**
 * A workload asks for something no program could do (an overlapping
 * MAP_FIXED_NOREPLACE mapping, a task that does not exist, a fork after
 * nofork, exec with other live threads). The runner reports it as
 * FILE:LINE before any result.
 */
public final class WorkloadError extends RuntimeException {
    public WorkloadError(String message) { super(message, null, false, false); }
}
