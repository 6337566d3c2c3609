package rmaplab.design.lazy;

import java.util.List;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Oracle;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.sim.Vma;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadWriter;

/** Helpers for the lazy tests: running ops by design name, or with a chosen {@link Reading} and {@link Fixes}. */
final class LazySupport {
    private LazySupport() {}

    static Ran run(List<Op> ops, String design, CheckMode check) {
        return Ran.run(ops, design, MachineConfig.defaults(), check);
    }

    static Ran run(List<Op> ops, String design) { return run(ops, design, CheckMode.EVERY_OP); }

    /** What Runner.run(..., EVERY_OP) checks, for a lazy design built with the given fixes. */
    record Outcome(long violations, String mapcountError, Machine machine) {
        boolean ok() { return violations == 0 && mapcountError == null; }
    }

    static Outcome runWith(List<Op> ops, Fixes fixes) { return runWith(ops, Reading.NAMED_VMA, fixes); }

    static Outcome runWith(List<Op> ops, Reading reading, Fixes fixes) {
        Machine m = new Machine(MachineConfig.defaults(), new Ledgers(), c -> new LazyDesign(c, reading, fixes));
        Oracle oracle = new Oracle(m, 5);
        String mapcountError = null;
        long n = 0;
        for (Op op : ops) {
            oracle.at(++n, WorkloadWriter.format(op));
            m.apply(op);
            oracle.sweep();
            if (mapcountError == null) mapcountError = oracle.verifyMapcounts();
        }
        return new Outcome(oracle.violationCount(), mapcountError, m);
    }

    static LazyDesign design(Ran r) { return (LazyDesign) r.machine().design(); }

    static Mm mm(Ran r, String task) { return r.machine().task(task).mm(); }

    static Vma vmaAt(Ran r, String task, long vpage) { return mm(r, task).find(vpage); }

    static long live(Ran r, String type) { return r.ledgers().objects().types().get(type).live(); }

    static long allocated(Ran r, String type) { return r.ledgers().objects().types().get(type).allocated(); }
}
