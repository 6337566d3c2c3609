package rmaplab.oracle;

import rmaplab.rmap.DesignInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import rmaplab.gen.RandomOps;
import rmaplab.ledger.Ledgers;
import rmaplab.sim.AnonMerge;
import rmaplab.rmap.Designs;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.WalkSink;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Ran;
import rmaplab.run.RunResult;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Vma;
import rmaplab.sim.VmaChange;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Advice;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

/**
 * Test helpers for op sequences: running one on a design with the oracle
 * after every op and saying how it failed, and printing and reading
 * workload files.
 *
 * <p>The workload text here is a stand-in until the workload branch lands:
 * {@link #line} is the one place that prints an op (switch it to
 * {@code WorkloadWriter.format(op)}) and {@link #parse} the one place that
 * reads a workload (switch it to {@code Workloads.parse(name, text)}).
 */
public final class Sequences {
    private Sequences() {}

    public static final String HEADER = "rmaplab-workload 1";

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
            return new Outcome(r, new Failure(Kind.VIOLATION, null, describe(r.violations().get(0), ops)
                    + (r.violationCount() > 1 ? " (" + r.violationCount() + " violations in all)" : "")), m);
        if (r.mapcountError() != null) return new Outcome(r, new Failure(Kind.MAPCOUNT, null, r.mapcountError()), m);
        return new Outcome(r, null, m);
    }

    /** The violation's description, with its op as a workload line (whatever the runner's op text). */
    private static String describe(Violation v, List<Op> ops) {
        String d = v.describe();
        if (v.opIndex() < 1 || v.opIndex() > ops.size()) return d;
        Op op = ops.get((int) v.opIndex() - 1);
        // the runner names the op by WorkloadWriter.format, still a stub here; "end of workload" stays
        if (!v.op().equals(WorkloadWriter.format(op))) return d;
        return d.replace("(" + v.op() + ")", "(" + line(op) + ")");
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

    // ------------------------------------------------------------------ workload text

    /**
     * One op as a workload line (WORKLOAD_FORMAT.md: {@code PROC OP ARGS},
     * addresses and lengths in hex pages). The one place ops are printed:
     * becomes {@code WorkloadWriter.format(op)}.
     */
    public static String line(Op op) {
        return rmaplab.workload.WorkloadWriter.format(op);
    }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }

    /** A complete workload file: the header, comment lines (each given line prefixed with "# "), the ops. */
    public static String workload(List<Op> ops, String... comments) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (String c : comments) for (String l : c.split("\n")) b.append("# ").append(l).append('\n');
        for (Op op : ops) b.append(line(op)).append('\n');
        return b.toString();
    }

    /**
     * Reads a workload text (the subset of WORKLOAD_FORMAT.md that {@link #line}
     * writes, plus comments, blank lines and decimal numbers). The one place
     * workloads are read: becomes {@code Workloads.parse(name, text)}.
     */
    public static List<Op> parse(String name, String text) {
        try {
            return rmaplab.workload.Workloads.parse(name, text);
        } catch (rmaplab.workload.WorkloadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Op op(String[] w) {
        String t = w[0];
        return switch (w[1]) {
            case "spawn" -> new Op.Spawn(t);
            case "fork" -> new Op.Fork(t, w[2]);
            case "thread" -> new Op.Thread(t, w[2]);
            case "vfork" -> new Op.Vfork(t, w[2]);
            case "exec" -> new Op.Exec(t);
            case "exit" -> new Op.Exit(t);
            case "nofork" -> new Op.NoFork(t);
            case "mmap" -> new Op.Mmap(t, num(w[2]), num(w[3]), prot(w[4]), kind(w[5]));
            case "munmap" -> new Op.Munmap(t, num(w[2]), num(w[3]));
            case "mprotect" -> new Op.Mprotect(t, num(w[2]), num(w[3]), prot(w[4]));
            case "mremap" -> new Op.Mremap(t, num(w[2]), num(w[3]), num(w[4]), num(w[5]));
            case "madvise" -> new Op.Madvise(t, num(w[2]), num(w[3]), Objects.requireNonNull(Advice.parse(w[4]), w[4]));
            case "touch" -> new Op.Touch(t, num(w[2]), num(w[3]), switch (w[4]) {
                case "read" -> false;
                case "write" -> true;
                default -> throw new IllegalArgumentException("read or write, not " + w[4]);
            });
            case "walk" -> new Op.Walk(t, num(w[2]), num(w[3]));
            case "migrate" -> new Op.Migrate(t, num(w[2]), num(w[3]));
            default -> throw new IllegalArgumentException("unknown op " + w[1]);
        };
    }

    private static long num(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.startsWith("0x") ? Long.parseLong(l.substring(2), 16) : Long.parseLong(l);
    }

    private static Prot prot(String s) { return Objects.requireNonNull(Prot.parse(s), "bad PROT " + s); }

    private static MapKind kind(String s) {
        switch (s) {
            case "anon": return MapKind.ANON;
            case "shared": return MapKind.SHARED;
            case "stack": return MapKind.STACK;
            default:
        }
        int eq = s.indexOf('='), at = s.lastIndexOf('@');
        if (eq < 0 || at < eq) throw new IllegalArgumentException("bad KIND " + s);
        String file = s.substring(eq + 1, at);
        long off = num(s.substring(at + 1));
        return switch (s.substring(0, eq)) {
            case "file" -> MapKind.file(file, off);
            case "shared-file" -> MapKind.sharedFile(file, off);
            default -> throw new IllegalArgumentException("bad KIND " + s);
        };
    }
}
