package rmaplab.rmap;

import java.util.function.Supplier;
import rmaplab.ledger.Ledgers;
import rmaplab.sim.Folios;
import rmaplab.sim.Machine;
import rmaplab.sim.SlabSizes;

/**
 * What a design is given: read access to its machine, the ledgers, the object
 * sizes, and — for clairvoyant designs — the workload's future forks, which
 * the runner learns in a first pass ({@link #forkSchedule()}).
 */
public record DesignContext(Machine machine, Ledgers ledgers, SlabSizes sizes, Supplier<ForkSchedule> future) {
    /** {@code future} is asked once, when the design first needs it. */
    public DesignContext {
        if (future != null) future = once(future);
    }

    public DesignContext(Machine machine, Ledgers ledgers, SlabSizes sizes) { this(machine, ledgers, sizes, null); }

    private static Supplier<ForkSchedule> once(Supplier<ForkSchedule> s) {
        ForkSchedule[] memo = new ForkSchedule[1];
        return () -> {
            if (memo[0] == null) memo[0] = s.get();
            return memo[0];
        };
    }

    public Folios folios() { return machine.folios(); }

    /**
     * The forks of the whole workload, from the runner's first pass. Fails
     * when the machine was built without one (a machine driven op by op
     * outside the runner): only clairvoyant designs need it.
     */
    public ForkSchedule forkSchedule() {
        ForkSchedule s = future == null ? null : future.get();
        if (s == null) throw new IllegalStateException("this design needs the workload's future forks: run it through the runner, "
                + "or give the machine a ForkSchedule");
        return s;
    }

    /** Whether the process forks or vforks (any of its tasks) at the op being applied or later (first pass). */
    public boolean forksAgain(rmaplab.sim.Process p) { return forkSchedule().forksAgain(p, machine.opIndex()); }

    /**
     * Leaf from now: whether no fork copies the mm at the op being applied or
     * later (first pass). Once true it stays true.
     */
    public boolean leafFromNow(rmaplab.sim.Mm mm) { return !forkSchedule().copiedAgain(mm, machine.opIndex()); }
}
