package rmaplab.survey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rmaplab.ledger.ObjectFigures;
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

    /** The approximations every survey makes, whatever the machine. */
    public static final List<String> APPROXIMATIONS = List.of(
            "the true fork history is unknown: processes are created in start-time order from the parents alive now; "
                    + "a process whose parent exited (re-parented to init or a subreaper) is rebuilt as vfork+exec of its "
                    + "new parent, and exited intermediate processes (double forks, shells) are not replayed",
            "a child counts as forked without exec when it maps one of its parent's anonymous frames at the same address, "
                    + "or (address randomization on) has the same executable and stack top; otherwise it is vforked and execs",
            "a forked child is rebuilt from its parent's state now, not at fork time: VMAs it has exactly as the parent "
                    + "(or resized at the end, or a stack that grew) are inherited, all others unmapped or mapped anew; "
                    + "its pages that are the parent's frame are inherited, the rest written after the fork",
            "frames shared between processes other than parent and child (siblings whose parent has since written "
                    + "the page, KSM) become one folio per process: the model can have more folios than there are frames",
            "adjacent private VMAs of one backing that differ only in protection are taken as one mapping split by "
                    + "mprotect (sharing an anon_vma); every other boundary is kept by shifting addresses one page; VMAs "
                    + "split or merged in other ways over their life are rebuilt as they are now; the VM flags smaps "
                    + "shows that decide merges are set as the program would have: nr by MAP_NORESERVE, dc, wf, hg and "
                    + "nh by their madvise",
            "threads are counted but not replayed (they share their process's mm and add no rmap object); transparent "
                    + "huge pages are replayed as 4 KiB folios; swapped-out pages are not replayed");

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
            for (ObjectFigures.Type t : r.ledgers().objects().types().values()) {
                if (t.name().equals("vm_area_struct")) {
                    vmas = t.live();
                    vmaBytes = t.liveBytes();
                    continue;
                }
                objs.put(t.name(), new long[] {t.live(), t.liveBytes()});
                bytes += t.liveBytes();
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
