package rmaplab.oracle;

import rmaplab.rmap.DesignInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rmaplab.gen.RandomOps;
import rmaplab.ledger.Ledgers;
import rmaplab.sim.RmapDesign;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Ran;
import rmaplab.run.RunResult;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;

/**
 * Test helpers for op sequences: the random sequences and machines of a
 * seed, and running a sequence on a design with the oracle after every op
 * and saying how it failed. Workload text is the product's: ops are printed
 * by WorkloadWriter.format (a whole file by Workloads.toText) and read by
 * the workload reader (rmaplab.testing.Scenario).
 */
public final class Sequences {
    private Sequences() {}

    // ------------------------------------------------------------------ the random sequences

    static final Integer LENGTH = Integer.getInteger("rmaplab.length");
    static final int PAGES = Integer.getInteger("rmaplab.pages", RandomOps.Params.DEFAULT_PAGES);
    static final int MAX_TASKS = Integer.getInteger("rmaplab.maxTasks", RandomOps.Params.DEFAULT_MAX_TASKS);

    /**
     * The random sequence of a seed, as the random tests run it: 100 to 249
     * ops (varying with the seed) in pages 0x100.., at most 12 live tasks.
     * System properties change that: {@code rmaplab.length} (fixed length),
     * {@code rmaplab.pages} (window size), {@code rmaplab.maxTasks}.
     */
    public static List<Op> randomOps(long seed) {
        int length = LENGTH != null ? LENGTH : 100 + (int) Math.floorMod(seed * 0x9E3779B97F4A7C15L >>> 17, 150L);
        return RandomOps.generate(new RandomOps.Params(length, seed, RandomOps.Params.DEFAULT_BASE, PAGES, MAX_TASKS));
    }

    /**
     * The machine of a seed: the zero page on for odd seeds and off for even
     * ones; the default stack guard gap (256 pages, as wide as the generator's
     * window) for half the seeds, a one-page gap for the other half so that
     * stacks grow down towards their neighbours.
     */
    public static MachineConfig randomConfig(long seed) {
        MachineConfig d = MachineConfig.defaults().withZeroPage((seed & 1) != 0);
        return (seed & 2) != 0 ? d : new MachineConfig(d.zeroPage(), 1, d.stackLimit(), d.sizes());
    }

    // ------------------------------------------------------------------ running

    /** How a run failed; INVALID: the workload itself was rejected (a generator bug, not a design's). */
    public enum Kind { VIOLATION, MAPCOUNT, EXCEPTION, INVALID }

    /**
     * A failed run.
     *
     * @param kind        an oracle violation, a kernel mapcount that disagrees with the page tables, or an exception
     * @param exception   the exception's class name for {@link Kind#EXCEPTION}, else null
     * @param description the first violation, the mapcount difference, or the exception with where it was thrown
     */
    public record Failure(Kind kind, String exception, String description) {
        /** The same kind of failure (and for exceptions, the same class). */
        public boolean sameWay(Failure o) { return o != null && kind == o.kind && Objects.equals(exception, o.exception); }
    }

    /** A run: its result and machine at the end (null when it threw) and how it failed (null when clean). */
    public record Outcome(RunResult result, Failure failure, Machine machine) {}

    /**
     * Runs the ops on the design with the oracle after every op. Returns null
     * when the run is clean, else how it failed. Throws WorkloadException when
     * the ops are not a valid workload (a task used before it exists, an
     * overlapping mmap, ...).
     */
    public static Failure check(DesignInfo design, MachineConfig cfg, List<Op> ops) throws WorkloadException {
        return outcome(design, cfg, ops).failure();
    }

    /** {@link #check}, with the run's result for its figures. */
    public static Outcome outcome(DesignInfo design, MachineConfig cfg, List<Op> ops) throws WorkloadException {
        RunResult r;
        Machine m;
        try {
            Ran ran = Ran.run(OpSource.of("random", ops), design, cfg, CheckMode.EVERY_OP);
            r = ran.result();
            m = ran.machine();
        } catch (WorkloadException e) {
            throw e;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            return new Outcome(null, new Failure(Kind.EXCEPTION, e.getClass().getName(), describe(e)), null);
        }
        if (r.violationCount() > 0)
            return new Outcome(r, new Failure(Kind.VIOLATION, null, r.violations().get(0).describe()
                    + (r.violationCount() > 1 ? " (" + r.violationCount() + " violations in all)" : "")), m);
        if (r.mapcountError() != null) return new Outcome(r, new Failure(Kind.MAPCOUNT, null, r.mapcountError()), m);
        return new Outcome(r, null, m);
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.toString());
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(4, st.length); i++) b.append("\n    at ").append(st[i]);
        return b.toString();
    }

    /**
     * The ops with those a workload reader would reject dropped (a task used
     * after the op that made it was deleted, a mapping that now overlaps):
     * each op is tried on a machine without any rmap design, and an op that
     * makes the simulated kernel throw a WorkloadError is left out. An other
     * exception ends the check there (the rest is kept as it is).
     */
    public static List<Op> dropInvalid(List<Op> ops, MachineConfig cfg) {
        Machine m = new Machine(cfg, new Ledgers(), ctx -> NO_RMAP);
        List<Op> out = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            try {
                m.apply(op);
            } catch (WorkloadError e) {
                continue;
            } catch (RuntimeException e) {
                out.addAll(ops.subList(i, ops.size()));
                return out;
            }
            out.add(op);
        }
        return out;
    }

    /** A design that keeps nothing and walks nothing: enough to replay the address spaces. */
    private static final RmapDesign NO_RMAP = (folio, sink) -> { };
}
