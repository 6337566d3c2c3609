package rmaplab.sim;

import rmaplab.ledger.Ledgers;

/**
 * What a design is given: read access to its machine, the ledgers, the object
 * sizes, and the workload's future forks, which the runner learns in its first
 * pass before the run starts (clairvoyant designs ask; others never look).
 */
public record DesignContext(Machine machine, Ledgers ledgers, SlabSizes sizes, ForkSchedule forks) {
    public Folios folios() { return machine.folios(); }

    /**
     * The forks of the whole workload, from the runner's first pass. Fails
     * when the machine was built without one: a design that needs it says so
     * in its registration ({@code clairvoyant}), and the runner then makes it.
     */
    public ForkSchedule forkSchedule() {
        if (forks == null) throw new IllegalStateException("this design needs the workload's future forks: run it through the "
                + "runner, or give the machine a ForkSchedule");
        return forks;
    }

    /** Whether the process forks or vforks (any of its tasks) at the op being applied or later (first pass). */
    public boolean forksAgain(Process p) { return forkSchedule().forksAgain(p, machine.opIndex()); }

    /**
     * Leaf from now: whether no fork copies the mm at the op being applied or
     * later (first pass). Once true it stays true.
     */
    public boolean leafFromNow(Mm mm) { return !forkSchedule().copiedAgain(mm, machine.opIndex()); }
}
