package rmaplab.run;

import rmaplab.rmap.DesignInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Oracle;
import rmaplab.rmap.Designs;
import rmaplab.sim.ForkSchedule;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;

/**
 * Runs workloads on simulated machines, one machine per design. A workload is
 * first validated in full (syntax, tasks, overlapping mappings) so that a bad
 * file gives FILE:LINE before any result is printed.
 */
public final class Runner {
    private Runner() {}

    /** Violations kept per run for the report (all are counted). */
    public static final int VIOLATIONS_KEPT = 20;

    /**
     * Reads the whole workload once on a machine with a stateless design (the
     * address space, not the rmap, decides what is valid), turning the
     * simulated kernel's {@link WorkloadError}s into FILE:LINE errors. On the
     * way it learns the workload's future forks, which clairvoyant designs
     * are given ({@link ForkSchedule}).
     */
    public static ForkSchedule validate(OpSource src, MachineConfig cfg) throws IOException, WorkloadException {
        return firstPass(src, cfg, true);
    }

    /**
     * The first pass: strict as validation is, or not strict as a design's
     * run is (an mmap over a mapping fails with EEXIST instead of being an
     * error), so that it accepts what the run accepts.
     */
    private static ForkSchedule firstPass(OpSource src, MachineConfig cfg, boolean strict)
            throws IOException, WorkloadException {
        Machine m = new Machine(cfg, new Ledgers(), ValidationDesign::new);
        m.setStrict(strict);
        ForkSchedule forks = new ForkSchedule();
        long n = 0;
        try (OpSource.Cursor c = src.open()) {
            Op op;
            while ((op = c.next()) != null) {
                forks.record(++n, op, op instanceof Op.Spawn ? null : m.task(op.task()));
                try {
                    m.apply(op);
                } catch (WorkloadError e) {
                    throw new WorkloadException(src.name(), c.line(), e.getMessage());
                }
            }
        }
        return forks;
    }

    /**
     * The future forks of ops that may not all be valid (tests driving a
     * machine op by op, shrinkers): what a non-strict first pass learns up to
     * the first op the simulated kernel rejects, where such a run stops too.
     */
    public static ForkSchedule forkScheduleOf(List<Op> ops, MachineConfig cfg) {
        Machine m = new Machine(cfg, new Ledgers(), ValidationDesign::new);
        m.setStrict(false);
        ForkSchedule forks = new ForkSchedule();
        long n = 0;
        for (Op op : ops) {
            forks.record(++n, op, op instanceof Op.Spawn ? null : m.task(op.task()));
            try {
                m.apply(op);
            } catch (WorkloadError e) {
                break;
            }
        }
        return forks;
    }

    /** Runs one design on a workload already validated. */
    public static RunResult run(OpSource src, String design, MachineConfig cfg, CheckMode check)
            throws IOException, WorkloadException {
        return run(src, Designs.get(design), cfg, check);
    }

    /**
     * Runs one design given by its entry, which need not be registered (tests
     * build designs of their own, e.g. deliberately broken ones, without
     * putting them in the global registry).
     */
    public static RunResult run(OpSource src, DesignInfo entry, MachineConfig cfg, CheckMode check)
            throws IOException, WorkloadException {
        return run(src, entry, cfg, check, null);
    }

    /**
     * Runs one design; {@code forks} is the workload's first pass when it was
     * made already. When it is null and the design is clairvoyant, the first
     * pass is made here, before the design's machine is built.
     */
    public static RunResult run(OpSource src, DesignInfo entry, MachineConfig cfg, CheckMode check, ForkSchedule forks)
            throws IOException, WorkloadException {
        String design = entry.name();
        long t0 = System.nanoTime();
        if (forks == null && entry.clairvoyant()) forks = firstPass(src, cfg, false);
        Ledgers ledgers = new Ledgers();
        Machine m = new Machine(cfg, ledgers, entry.factory(), forks);
        m.setStrict(false);
        Oracle oracle = new Oracle(m, VIOLATIONS_KEPT);
        long n = 0;
        String mapcountError = null;
        try (OpSource.Cursor c = src.open()) {
            Op op;
            while ((op = c.next()) != null) {
                n++;
                oracle.at(n, op);
                try {
                    m.apply(op);
                } catch (WorkloadError e) {
                    throw new WorkloadException(src.name(), c.line(), e.getMessage());
                }
                if (check == CheckMode.EVERY_OP) {
                    oracle.sweep();
                    if (mapcountError == null) mapcountError = oracle.verifyMapcounts();
                }
            }
        }
        if (check != CheckMode.WALKS) {
            oracle.at(n, "end of workload");
            oracle.sweep();
            if (mapcountError == null) mapcountError = oracle.verifyMapcounts();
        }
        return RunResult.of(src.name(), design, check, n, m, ledgers, oracle.violations(), oracle.violationCount(),
                oracle.checkedWalks(), mapcountError, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Validates, then runs every design, in parallel (one machine each), in the order given. */
    public static List<RunResult> runAll(OpSource src, List<String> designs, MachineConfig cfg, CheckMode check,
                                         int threads) throws IOException, WorkloadException {
        for (String d : designs) Designs.get(d); // unknown names fail before anything runs
        ForkSchedule forks = validate(src, cfg);
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, designs.size())));
        try {
            List<Future<RunResult>> fs = new ArrayList<>();
            for (String d : designs) fs.add(ex.submit(() -> run(src, Designs.get(d), cfg, check, forks)));
            List<RunResult> out = new ArrayList<>();
            for (Future<RunResult> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof WorkloadException we) throw we;
                    if (c instanceof IOException io) throw io;
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error er) throw er;
                    throw new IllegalStateException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            return out;
        } finally {
            ex.shutdownNow();
        }
    }
}
