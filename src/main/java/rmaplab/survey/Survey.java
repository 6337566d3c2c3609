package rmaplab.survey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rmaplab.ledger.ObjectLedger;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.survey.ProcParse.Region;
import rmaplab.workload.WorkloadException;

/**
 * The survey: the live system's process tree and memory as /proc shows it,
 * rebuilt as a workload ({@link Reconstruction}) and run under each design
 * through the ordinary runner, beside the kernel's own slab counts.
 */
public final class Survey {
    private Survey() {}

    /** Counts of the surveyed state itself (no model involved). */
    public record Counts(int processes, long threads, int kernelThreads, int vanished, int zombies, int leaves,
                         int leavesThatReaped, int leavesNoTrace, int leavesNoTraceSigchldIgnored,
                         int withChildren, long vmas, long anonVmas, long anonVmasWithPages, long anonPages,
                         long anonFrames, int unreadable, long unreadableRssAnonKb, List<Integer> unreadablePids,
                         int sharingParentMm) {

        static Counts of(Snapshot s) {
            Map<Integer, Integer> children = new HashMap<>();
            Map<Integer, Snapshot.Proc> byPid = new HashMap<>();
            for (Snapshot.Proc p : s.procs()) {
                children.merge(p.ppid(), 1, Integer::sum);
                byPid.put(p.pid(), p);
            }
            int sameMm = 0;
            int leaves = 0, reaped = 0, noTrace = 0, noTraceIgn = 0, zombies = 0, withChildren = 0, unreadable = 0;
            long unreadableKb = 0;
            List<Integer> unreadablePids = new ArrayList<>();
            long threads = 0, vmas = 0, anon = 0, anonWithPages = 0, pages = 0;
            for (Snapshot.Proc p : s.procs()) {
                threads += p.threads();
                if (p.stat().state() == 'Z') zombies++;
                else if (!p.memoryRead()) {
                    unreadable++;
                    unreadablePids.add(p.pid());
                    unreadableKb += Math.max(0, p.rssAnonKb());
                }
                if (children.getOrDefault(p.pid(), 0) == 0) {
                    leaves++;
                    if (p.stat().reapedAChild()) reaped++;
                    else {
                        noTrace++;
                        if (p.sigchldIgnored()) noTraceIgn++;
                    }
                } else withChildren++;
                Snapshot.Proc parent = byPid.get(p.ppid());
                if (parent != null && parent != p && Reconstruction.sameMm(p, parent)) {
                    sameMm++; // its VMAs and pages are its parent's, counted there
                    continue;
                }
                vmas += p.regions().size();
                for (Region r : p.regions()) {
                    boolean hasPages = Reconstruction.hasPages(p, r);
                    if (r.anonymous() || (r.privateMapping() && hasPages)) anon++;
                    if (r.privateMapping() && (hasPages || r.anonKb() > 0)) anonWithPages++;
                }
                pages += p.anonPages();
            }
            long frames = -1;
            if (s.pfns()) {
                it.unimi.dsi.fastutil.longs.LongOpenHashSet f = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();
                for (Snapshot.Proc p : s.procs()) for (long e : p.entries()) if (Snapshot.pfn(e) != 0) f.add(Snapshot.pfn(e));
                frames = f.size();
            }
            return new Counts(s.procs().size(), threads, s.kernelThreads(), s.vanished(), zombies, leaves, reaped, noTrace,
                    noTraceIgn, withChildren, vmas, anon, anonWithPages, pages, frames, unreadable, unreadableKb,
                    List.copyOf(unreadablePids), sameMm);
        }
    }

    /**
     * One design's estimate: its ledger at the end of the rebuilt workload.
     *
     * @param objects  rmap object type → {live count, live bytes} (vm_area_struct left out)
     * @param rmapBytes the sum of those bytes
     * @param vmas      vm_area_structs live in the model
     */
    public record Estimate(String design, boolean sound, Map<String, long[]> objects, long rmapBytes, long vmas,
                           long vmaBytes, boolean oracleOk, long checkedWalks, long violations, Map<String, Long> errors, long millis) {
        static Estimate of(RunResult r) {
            Map<String, long[]> objs = new LinkedHashMap<>();
            long bytes = 0, vmas = 0, vmaBytes = 0;
            for (ObjectLedger.Type t : r.ledgers().objects.types().values()) {
                if (t.name.equals("vm_area_struct")) {
                    vmas = t.live;
                    vmaBytes = t.liveBytes;
                    continue;
                }
                objs.put(t.name, new long[] {t.live, t.liveBytes});
                bytes += t.liveBytes;
            }
            return new Estimate(r.design(), Designs.get(r.design()).sound(), objs, bytes, vmas, vmaBytes, r.ok(),
                    r.checkedWalks(), r.violationCount(), r.errors(), r.millis());
        }
    }

    public record Result(Snapshot snapshot, Counts counts, Reconstruction.Result rebuilt, List<Estimate> estimates,
                         Slabs slabs, MachineConfig config, long readMillis, long modelMillis) {}

    /**
     * Rebuilds the snapshot and runs the designs on it.
     *
     * @param check the oracle walks every live folio at the end under every design
     */
    public static Result run(Snapshot snap, Slabs slabs, MachineConfig cfg, List<String> designs, boolean check,
                             long readMillis) throws IOException {
        long t0 = System.nanoTime();
        Reconstruction.Result rebuilt = new Reconstruction(snap, cfg).build();
        List<RunResult> runs;
        try {
            runs = Runner.runAll(OpSource.of("survey", rebuilt.ops()), designs, cfg, check ? CheckMode.END : CheckMode.WALKS,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
        } catch (WorkloadException e) {
            // the reconstruction wrote an op the model refuses: a bug here, not bad input
            throw new IllegalStateException("the rebuilt workload does not run: " + e.getMessage(), e);
        }
        List<Estimate> est = new ArrayList<>();
        for (RunResult r : runs) est.add(Estimate.of(r));
        return new Result(snap, Counts.of(snap), rebuilt, est, slabs, cfg, readMillis, (System.nanoTime() - t0) / 1_000_000);
    }
}
