package rmaplab.design.cowctx;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import rmaplab.design.pv.PvDesign;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Oracle;
import rmaplab.sim.DesignContext;
import rmaplab.sim.RmapDesign;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Ran;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.sim.Task;
import rmaplab.sim.Vma;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Advice;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

/**
 * Helpers for the cowctx tests: running ops, running a design with a chosen
 * set of {@link Fixes}, and a small seeded random-operation driver with a
 * shrinker. Workload text is the product's (Workloads.toText).
 */
final class Support {
    private Support() {}

    static Ran run(List<Op> ops, String design, MachineConfig cfg, CheckMode check) {
        return Ran.run(ops, design, cfg, check);
    }

    static Ran run(List<Op> ops, String design) { return run(ops, design, MachineConfig.defaults(), CheckMode.EVERY_OP); }

    /** What Runner.run(..., EVERY_OP) checks, for a design built with the given fixes. */
    record Outcome(long violations, String mapcountError, Machine machine, List<rmaplab.oracle.Violation> kept) {
        boolean ok() { return violations == 0 && mapcountError == null; }
    }

    static Outcome runWith(List<Op> ops, Function<DesignContext, RmapDesign> factory, MachineConfig cfg) {
        Machine m = new Machine(cfg, new Ledgers(), factory);
        Oracle oracle = new Oracle(m, 5);
        String mapcountError = null;
        long n = 0;
        for (Op op : ops) {
            oracle.at(++n, WorkloadWriter.format(op));
            m.apply(op);
            oracle.sweep();
            if (mapcountError == null) mapcountError = oracle.verifyMapcounts();
        }
        return new Outcome(oracle.violationCount(), mapcountError, m, oracle.violations());
    }

    static Outcome runWith(List<Op> ops, Fixes fixes) {
        return runWith(ops, c -> new CowCtxDesign(c, fixes), MachineConfig.defaults());
    }

    static CowCtxDesign design(Ran r) { return (CowCtxDesign) r.machine().design(); }

    static Mm mm(Ran r, String task) { return r.machine().task(task).mm(); }

    static long live(Ran r, String type) { return r.ledgers().objects().types().get(type).live(); }

    // ------------------------------------------------------------------ random sequences

    static final long LO = 0x100, HI = 0x120; // a small window, so that ranges collide

    /**
     * A valid random sequence: every op is applied to a shadow machine (pv)
     * and kept only if the simulated kernel accepts it as a workload line.
     */
    static List<Op> randomOps(long seed, int length, MachineConfig cfg) { return randomOps(seed, length, cfg, PvDesign::new); }

    /**
     * The same, valid on a machine running {@code shadow}: the design decides
     * which VMAs merge, and so which later ops are valid (an mremap across two
     * unmerged VMAs fails with EFAULT and leaves a different address space).
     */
    static List<Op> randomOps(long seed, int length, MachineConfig cfg, Function<DesignContext, RmapDesign> shadow) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Machine m = new Machine(cfg, new Ledgers(), shadow);
        List<Op> ops = new ArrayList<>();
        int[] names = {1};
        apply(m, ops, new Op.Spawn("P0"));
        int guard = 0;
        while (ops.size() < length && guard++ < length * 20) {
            List<Task> tasks = new ArrayList<>(m.liveTasks());
            if (tasks.isEmpty()) break;
            Task t = tasks.get(rnd.nextInt(tasks.size()));
            Op op = randomOp(rnd, m, t, tasks.size(), names);
            if (op != null) apply(m, ops, op);
        }
        return ops;
    }

    private static void apply(Machine m, List<Op> ops, Op op) {
        try {
            m.apply(op);
            ops.add(op);
        } catch (WorkloadError e) {
            // not a valid workload line here: drop it
        }
    }

    private static Vma someVma(SplittableRandom rnd, Mm mm) {
        List<Vma> l = new ArrayList<>(mm.vmas());
        return l.isEmpty() ? null : l.get(rnd.nextInt(l.size()));
    }

    private static Op randomOp(SplittableRandom rnd, Machine m, Task t, int liveTasks, int[] names) {
        String n = t.name();
        Mm mm = t.mm();
        int k = rnd.nextInt(100);
        if (k < 14) { // mmap in a free place
            long len = 1 + rnd.nextInt(4), addr = LO + rnd.nextLong(HI - LO - len);
            if (!mm.overlapping(addr, addr + len).isEmpty()) return null;
            int kind = rnd.nextInt(20);
            MapKind mk = kind < 12 ? MapKind.ANON : kind < 16 ? MapKind.file("f", rnd.nextInt(8))
                    : kind < 17 ? MapKind.SHARED : kind < 18 ? MapKind.sharedFile("f", rnd.nextInt(8)) : MapKind.STACK;
            return new Op.Mmap(n, addr, len, rnd.nextInt(6) == 0 ? Prot.R : Prot.RW, mk);
        }
        if (k < 38) { // touch inside a VMA (or just below a stack)
            Vma v = someVma(rnd, mm);
            if (v == null) return null;
            long addr = v.start() + rnd.nextLong(v.pages()) - (rnd.nextInt(10) == 0 ? 1 : 0);
            return new Op.Touch(n, addr, 1 + rnd.nextInt(3), rnd.nextInt(10) < 6);
        }
        if (k < 46) { // munmap
            long addr = LO + rnd.nextLong(HI - LO);
            return new Op.Munmap(n, addr, 1 + rnd.nextInt(4));
        }
        if (k < 58) { // mremap: a move of part of a VMA, or a resize in place
            Vma v = someVma(rnd, mm);
            if (v == null) return null;
            long off = rnd.nextLong(v.pages()), len = 1 + rnd.nextLong(v.pages() - off), addr = v.start() + off;
            if (rnd.nextInt(4) == 0) return new Op.Mremap(n, addr, len, addr, Math.max(1, len + rnd.nextInt(5) - 2));
            long newLen = rnd.nextInt(5) == 0 ? Math.max(1, len + rnd.nextInt(3) - 1) : len;
            return new Op.Mremap(n, addr, len, LO + rnd.nextLong(HI - LO - newLen), newLen);
        }
        if (k < 64) { // mprotect
            long addr = LO + rnd.nextLong(HI - LO);
            Prot[] ps = {Prot.R, Prot.RW, Prot.NONE};
            return new Op.Mprotect(n, addr, 1 + rnd.nextInt(4), ps[rnd.nextInt(ps.length)]);
        }
        if (k < 74) { // fork
            if (liveTasks >= 5) return null;
            return new Op.Fork(n, "T" + names[0]++);
        }
        if (k < 80) { // exit (keep someone alive)
            if (liveTasks <= 1) return null;
            return new Op.Exit(n);
        }
        if (k < 86) { // madvise
            Vma v = someVma(rnd, mm);
            if (v == null) return null;
            Advice[] as = Advice.values();
            return new Op.Madvise(n, v.start(), v.pages(), as[rnd.nextInt(as.length)]);
        }
        if (k < 91) { // migrate
            Vma v = someVma(rnd, mm);
            if (v == null) return null;
            return new Op.Migrate(n, v.start(), v.pages());
        }
        if (k < 92) { // exec (no threads are made, so it is always valid)
            return new Op.Exec(n);
        }
        if (k < 93) { // vfork: the child shares the mm until it execs or exits
            if (liveTasks >= 5) return null;
            return new Op.Vfork(n, "T" + names[0]++);
        }
        return new Op.Walk(n, LO, HI - LO);
    }

    /** Deletes ops (halves, then single ones) while the sequence still fails. */
    static List<Op> shrink(List<Op> ops, java.util.function.Predicate<List<Op>> fails) {
        List<Op> cur = new ArrayList<>(ops);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int chunk = Math.max(1, cur.size() / 2); chunk >= 1; chunk /= 2) {
                for (int i = 0; i + chunk <= cur.size(); ) {
                    List<Op> cand = new ArrayList<>(cur.subList(0, i));
                    cand.addAll(cur.subList(i + chunk, cur.size()));
                    if (failsSafely(cand, fails)) {
                        cur = cand;
                        progress = true;
                    } else {
                        i++;
                    }
                }
            }
        }
        return cur;
    }

    private static boolean failsSafely(List<Op> ops, java.util.function.Predicate<List<Op>> fails) {
        try {
            return fails.test(ops);
        } catch (WorkloadError | IllegalStateException e) {
            return false; // no longer a valid workload
        }
    }
}
